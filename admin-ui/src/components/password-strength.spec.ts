import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as strength from '../format/password-strength';
import PasswordStrength from './password-strength.vue';

vi.mock('../format/password-strength', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../format/password-strength')>();
  return { ...actual, loadPasswordContentChecks: vi.fn(actual.loadPasswordContentChecks) };
});

const EMAIL = 'alice.smith@example.com';
const COMMON = 'This password is on a list of common or breached passwords; choose another.';

/** The meter with the dictionaries loaded (they are cached after the first load). */
async function meterFor(password: string, email?: string) {
  const wrapper = mount(PasswordStrength, { props: { password, email } });
  await flushPromises();
  return wrapper;
}

/** The meter's props (the .vue shim types components without theirs). */
function setProps(wrapper: ReturnType<typeof mount>, props: { password?: string; email?: string }) {
  return wrapper.setProps(props as never);
}

const text = (wrapper: ReturnType<typeof mount>, test: string) => wrapper.get(`[data-test="${test}"]`).text();

describe('password strength meter', () => {
  beforeAll(async () => {
    await strength.loadPasswordContentChecks(); // ~1 s: the dictionaries, once for the file
  });
  afterEach(() => vi.useRealTimers());

  it('is a named meter whose value text is the verdict', async () => {
    const wrapper = await meterFor('Password1234!');
    const meter = wrapper.get('[role="meter"]');
    expect(meter.attributes('aria-label')).toBe('Password strength');
    expect(meter.attributes('aria-valuetext')).toBe('Common password');
    expect(meter.attributes('aria-valuenow')).toBe('1');
    expect(meter.attributes('aria-valuemin')).toBe('0');
    expect(meter.attributes('aria-valuemax')).toBe('4');
  });

  it('says Password1234! is on the common list, in the server’s words, never "Good"', async () => {
    const wrapper = await meterFor('Password1234!');
    expect(text(wrapper, 'strength-label')).toBe('Common password');
    expect(text(wrapper, 'strength-hint')).toBe(COMMON);
    expect(wrapper.get('[data-test="strength-meter"]').attributes()).toMatchObject({
      'data-verdict': 'refused',
      'data-score': '1',
    });
  });

  it('rates an accepted password by its strength', async () => {
    const wrapper = await meterFor('correct horse battery staple');
    expect(text(wrapper, 'strength-label')).toBe('Strong');
    expect(wrapper.find('[data-test="strength-hint"]').exists()).toBe(false);
    expect(wrapper.get('[data-test="strength-meter"]').attributes('data-verdict')).toBe('accepted');

    await setProps(wrapper, { password: 'violet harbour' });
    expect(text(wrapper, 'strength-label')).toBe('Good');
    expect(wrapper.get('[data-test="strength-meter"]').attributes('data-score')).toBe('3');
  });

  it('refuses a password built on the email it is given', async () => {
    const wrapper = await meterFor('alice.smith2026', EMAIL);
    expect(text(wrapper, 'strength-label')).toBe('Built on your email address');
    expect(text(wrapper, 'strength-hint')).toBe('Do not build the password on your email address.');
    await setProps(wrapper, { email: undefined });
    expect(text(wrapper, 'strength-label')).not.toBe('Built on your email address');
  });

  it('says how many characters are missing', async () => {
    const wrapper = await meterFor('too short');
    expect(text(wrapper, 'strength-label')).toBe('Too short');
    expect(text(wrapper, 'strength-hint')).toBe('Use at least 12 characters. 3 more needed.');
  });

  it('judges only the length while the dictionaries load, then the whole policy', async () => {
    let release!: (checks: strength.PasswordContentChecks) => void;
    vi.mocked(strength.loadPasswordContentChecks).mockReturnValueOnce(new Promise((resolve) => (release = resolve)));
    const wrapper = mount(PasswordStrength, { props: { password: 'short' } });
    await flushPromises();
    expect(text(wrapper, 'strength-label')).toBe('Too short');

    await setProps(wrapper, { password: 'Password1234!' });
    expect(text(wrapper, 'strength-label')).toBe('Checking…');
    expect(wrapper.find('[data-test="strength-hint"]').exists()).toBe(false);
    expect(wrapper.get('[data-test="strength-meter"]').attributes()).toMatchObject({
      'data-verdict': 'pending',
      'data-score': '',
    });
    expect(wrapper.get('[role="meter"]').attributes('aria-valuetext')).toBe('Checking…');

    release(await strength.loadPasswordContentChecks());
    await flushPromises();
    expect(text(wrapper, 'strength-label')).toBe('Common password');
  });

  it('says so when the dictionaries cannot be loaded, and leaves the verdict to the server', async () => {
    vi.mocked(strength.loadPasswordContentChecks).mockRejectedValueOnce(new Error('offline'));
    const wrapper = mount(PasswordStrength, { props: { password: 'Password1234!' } });
    await flushPromises();
    expect(text(wrapper, 'strength-label')).toBe('Long enough');
    expect(text(wrapper, 'strength-hint')).toBe(
      'The strength check could not be loaded; the password is checked when you submit it.',
    );
    await setProps(wrapper, { password: 'short' });
    expect(text(wrapper, 'strength-label')).toBe('Too short');
  });

  it('announces a verdict politely once typing pauses, and only when it changed', async () => {
    const wrapper = await meterFor('');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const live = () => wrapper.get('[data-test="strength-announcement"]');
    expect(live().attributes('aria-live')).toBe('polite');

    for (const typed of ['P', 'Pa', 'Pas', 'Password123', 'Password1234', 'Password1234!']) {
      await setProps(wrapper, { password: typed });
      vi.advanceTimersByTime(800);
    }
    expect(live().text()).toBe(''); // nothing said while typing
    vi.advanceTimersByTime(100);
    await wrapper.vm.$nextTick();
    expect(live().text()).toBe(`Password: Common password. ${COMMON}`);

    // A pause with the same verdict is not announced again, even when the hint's count changed ...
    await setProps(wrapper, { password: 'short' });
    vi.advanceTimersByTime(900);
    await wrapper.vm.$nextTick();
    expect(live().text()).toBe('Password: Too short. Use at least 12 characters. 7 more needed.');
    await setProps(wrapper, { password: 'shorter' });
    vi.advanceTimersByTime(900);
    await wrapper.vm.$nextTick();
    expect(live().text()).toBe('Password: Too short. Use at least 12 characters. 7 more needed.');
    expect(text(wrapper, 'strength-hint')).toBe('Use at least 12 characters. 5 more needed.');
    await setProps(wrapper, { password: 'Password1234!' });
    vi.advanceTimersByTime(900);
    await wrapper.vm.$nextTick();
    expect(live().text()).toBe(`Password: Common password. ${COMMON}`);
    // ... a new one is, once it holds.
    await setProps(wrapper, { password: 'correct horse battery staple' });
    vi.advanceTimersByTime(899);
    await wrapper.vm.$nextTick();
    expect(live().text()).toBe(`Password: Common password. ${COMMON}`);
    vi.advanceTimersByTime(1);
    await wrapper.vm.$nextTick();
    expect(live().text()).toBe('Password: Strong.');
  });
});
