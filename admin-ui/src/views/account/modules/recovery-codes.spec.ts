import { DOMWrapper, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RECOVERY_CODES_FILE_NAME, recoveryCodesBlob } from '../data';
import RecoveryCodes from './recovery-codes.vue';

const codes = Array.from({ length: 10 }, (_, i) => `code-${String(i).padStart(2, '0')}-abcd`);

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

describe('recovery codes', () => {
  it('downloads recovery-codes.txt holding the 10 codes, one per line', async () => {
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

    const wrapper = mount(RecoveryCodes, { props: { codes }, attachTo: document.body });
    expect(wrapper.findAll('[data-test="recovery-code"]').map((item) => item.text())).toEqual(codes);
    expect(wrapper.get('[data-test="recovery-codes-warning"]').text()).toContain('not shown again');
    await wrapper.get('[data-test="recovery-codes-download"]').trigger('click');

    expect(clicked[0].download).toBe(RECOVERY_CODES_FILE_NAME);
    expect(clicked[0].download).toBe('recovery-codes.txt');
    expect(blob?.type).toContain('text/plain');
    const lines = (await blob!.text()).split('\n').filter(Boolean);
    expect(lines).toEqual(codes);
  });

  it('copies the codes, one per line', async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const wrapper = mount(RecoveryCodes, { props: { codes }, attachTo: document.body });
    await wrapper.get('[data-test="recovery-codes-copy"]').trigger('click');
    await new Promise((resolve) => setTimeout(resolve));
    expect(writeText).toHaveBeenCalledWith(await recoveryCodesBlob(codes).text());
    expect(new DOMWrapper(document.body).find('[data-test="recovery-codes-copied"]').exists()).toBe(true);
  });
});
