import { getCurrentScope, onScopeDispose, ref } from 'vue';

/** How long a success message stays: long enough to read twice, short enough not to pile up. */
export const NOTICE_MS = 10_000;

/**
 * One success message at a time: a new one replaces the last, and it goes away by itself after
 * NOTICE_MS (or when the page is left, or closed by hand).
 */
export function useNotice(durationMs = NOTICE_MS) {
  const message = ref('');
  let timer: ReturnType<typeof setTimeout> | undefined;

  function dismiss(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    message.value = '';
  }

  function show(text: string): void {
    dismiss();
    message.value = text;
    timer = setTimeout(dismiss, durationMs);
  }

  if (getCurrentScope()) onScopeDispose(dismiss);
  return { message, show, dismiss };
}

export type Notice = ReturnType<typeof useNotice>;
