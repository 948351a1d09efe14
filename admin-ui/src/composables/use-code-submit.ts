import { ref } from 'vue';

/**
 * A 6-digit code form: submits once at a time, keeps the API's error, and clears the code after a
 * refusal so the next attempt starts clean. `action` gets the code; `onSuccess` gets its result.
 */
export function useCodeSubmit<T>(action: (code: string) => Promise<T>, onSuccess: (result: T) => void) {
  const code = ref('');
  const busy = ref(false);
  const error = ref<unknown>(null);

  async function submit(): Promise<void> {
    if (!/^\d{6}$/.test(code.value) || busy.value) return;
    busy.value = true;
    error.value = null;
    try {
      onSuccess(await action(code.value));
    } catch (caught) {
      error.value = caught;
      code.value = '';
    } finally {
      busy.value = false;
    }
  }

  function reset(): void {
    code.value = '';
    error.value = null;
  }

  return { code, busy, error, submit, reset };
}
