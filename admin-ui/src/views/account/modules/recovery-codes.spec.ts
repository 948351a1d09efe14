import { DOMWrapper, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { recoveryCodesText } from '../data';
import RecoveryCodes from './recovery-codes.vue';

const codes = Array.from({ length: 10 }, (_, i) => `code-${String(i).padStart(2, '0')}-abcd`);

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('recovery codes', () => {
  it('downloads a file that says which site and account the codes are for, when they were made and how to use them', async () => {
    let blob: Blob | undefined;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((value) => {
      blob = value as Blob;
      return 'blob:codes';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    const generatedAt = new Date(2030, 0, 15, 9, 30).toISOString();

    const wrapper = mount(RecoveryCodes, {
      props: { codes, email: 'ann@example.com', generatedAt },
      attachTo: document.body,
    });
    expect(wrapper.findAll('[data-test="recovery-code"]').map((item) => item.text())).toEqual(codes);
    expect(wrapper.get('[data-test="recovery-codes-warning"]').text()).toContain('not shown again');
    await wrapper.get('[data-test="recovery-codes-download"]').trigger('click');

    const host = window.location.host.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
    expect(clicked[0].download).toBe(`recovery-codes-${host}-2030-01-15.txt`);
    expect(blob?.type).toContain('text/plain');
    const text = await blob!.text();
    expect(text).toContain(`Recovery codes for ${window.location.host}`);
    expect(text).toContain('Account: ann@example.com');
    expect(text).toContain('(2030-01-15)');
    expect(text).toContain('Each code works once');
    expect(text).toContain(`${window.location.origin}/account/security`);
    const lines = text.split('\n');
    expect(lines.filter((line) => codes.includes(line))).toEqual(codes);
  });

  it('copies the codes, one per line', async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const wrapper = mount(RecoveryCodes, { props: { codes, email: 'ann@example.com' }, attachTo: document.body });
    await wrapper.get('[data-test="recovery-codes-copy"]').trigger('click');
    await new Promise((resolve) => setTimeout(resolve));
    expect(writeText).toHaveBeenCalledWith(recoveryCodesText(codes));
    expect(new DOMWrapper(document.body).find('[data-test="recovery-codes-copied"]').exists()).toBe(true);
  });
});
