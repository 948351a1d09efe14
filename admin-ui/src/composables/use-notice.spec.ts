import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import { NOTICE_MS, useNotice } from './use-notice';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('useNotice', () => {
  it('shows one message at a time: the next replaces it', () => {
    const notice = useNotice();
    notice.show('Email codes are on.');
    notice.show('The authenticator app is off.');
    expect(notice.message.value).toBe('The authenticator app is off.');
  });

  it('goes away by itself, counting from the latest message', () => {
    const notice = useNotice();
    notice.show('first');
    vi.advanceTimersByTime(NOTICE_MS - 1000);
    notice.show('second');
    vi.advanceTimersByTime(NOTICE_MS - 1000);
    expect(notice.message.value).toBe('second');
    vi.advanceTimersByTime(1000);
    expect(notice.message.value).toBe('');
  });

  it('is cleared when closed or when its page goes away', () => {
    const scope = effectScope();
    const notice = scope.run(() => useNotice())!;
    notice.show('Signed out Firefox on Linux.');
    notice.dismiss();
    expect(notice.message.value).toBe('');
    notice.show('again');
    scope.stop();
    expect(notice.message.value).toBe('');
  });
});
