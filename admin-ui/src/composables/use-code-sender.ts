import { computed, ref } from 'vue';
import type { CodeSent } from '../api/me';
import { ApiError } from '../api/http';
import { RESEND_COOLDOWN_SECONDS, secondsUntil } from '../views/sign-in/data';
import { useCountdown } from './use-countdown';

/**
 * Sends an email code and locks "Request code" for the cooldown: the server's
 * `resendAvailableAt`, or its Retry-After when it answers 429 inside the cooldown.
 */
export function useCodeSender(sendCode: () => Promise<CodeSent>) {
  const sent = ref(false);
  const sending = ref(false);
  const error = ref<unknown>(null);
  const countdown = useCountdown();

  const label = computed(() => {
    if (!sent.value) return 'Send code';
    return countdown.running.value ? `Request code (${countdown.secondsLeft.value} s)` : 'Request code';
  });

  async function send(): Promise<boolean> {
    sending.value = true;
    error.value = null;
    try {
      const { resendAvailableAt } = await sendCode();
      sent.value = true;
      countdown.start(secondsUntil(resendAvailableAt));
      return true;
    } catch (caught) {
      error.value = caught;
      if (caught instanceof ApiError && caught.code === 'rate_limited') {
        sent.value = true;
        countdown.start(caught.extras.retryAfterSeconds ?? RESEND_COOLDOWN_SECONDS);
      }
      return false;
    } finally {
      sending.value = false;
    }
  }

  return { sent, sending, error, countdown, label, send };
}

export type CodeSender = ReturnType<typeof useCodeSender>;
