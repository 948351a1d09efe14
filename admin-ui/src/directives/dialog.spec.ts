import { mount } from '@vue/test-utils';
import { NCard, NInput } from 'naive-ui';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick, ref, withDirectives } from 'vue';
import { vDialog } from './dialog';

const Dialog = defineComponent({
  props: { withField: { type: Boolean, default: true } },
  setup(props) {
    const step = ref(1);
    const content = () =>
      step.value === 1
        ? [
            props.withField ? h(NInput, { inputProps: { id: 'first' } }) : null,
            h('button', { id: 'next', onClick: () => (step.value = 2) }, 'Next'),
          ]
        : [h(NInput, { inputProps: { id: 'second' } })];
    return () =>
      withDirectives(h(NCard, { title: 'Change password', role: 'dialog', 'aria-modal': 'true' }, content), [
        [vDialog],
      ]);
  },
});

afterEach(() => {
  document.body.innerHTML = '';
});

describe('v-dialog', () => {
  it('names the dialog by its title, a single level-2 heading', async () => {
    const wrapper = mount(Dialog, { attachTo: document.body });
    await nextTick();
    const headings = wrapper.findAll('[role="heading"]');
    expect(headings).toHaveLength(1);
    expect(headings[0].attributes('aria-level')).toBe('2');
    const card = wrapper.get('[role="dialog"]');
    expect(document.getElementById(card.attributes('aria-labelledby')!)?.textContent).toContain('Change password');
  });

  it('moves focus to the first field, and to the next step’s field when the step changes', async () => {
    const wrapper = mount(Dialog, { attachTo: document.body });
    await nextTick();
    expect(document.activeElement?.id).toBe('first');
    const next = wrapper.get('#next');
    (next.element as HTMLButtonElement).focus();
    await next.trigger('click');
    await nextTick();
    await nextTick();
    expect(document.activeElement?.id).toBe('second');
  });

  it('moves focus to the title when the dialog has no field', async () => {
    const wrapper = mount(Dialog, { props: { withField: false }, attachTo: document.body });
    await nextTick();
    expect(document.activeElement).toBe(wrapper.get('[role="heading"]').element);
  });
});
