import { mount } from '@vue/test-utils';
import { NCard } from 'naive-ui';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, withDirectives } from 'vue';
import { vCardHeading } from './card-heading';

const Card = defineComponent({
  props: { level: { type: Number, default: undefined } },
  setup: (props) => () =>
    withDirectives(
      h(NCard, { title: 'Password' }, () => 'body'),
      [[vCardHeading, props.level]],
    ),
});

describe('v-card-heading', () => {
  it('gives the card title one heading role, with a level', () => {
    const wrapper = mount(Card, { props: { level: 3 } });
    const headings = wrapper.findAll('[role="heading"]');
    expect(headings).toHaveLength(1);
    expect(headings[0].attributes('aria-level')).toBe('3');
    expect(headings[0].text()).toContain('Password');
  });

  it('defaults to level 2', () => {
    expect(mount(Card).get('[role="heading"]').attributes('aria-level')).toBe('2');
  });
});
