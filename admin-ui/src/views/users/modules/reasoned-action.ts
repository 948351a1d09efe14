import { computed, ref, watch } from 'vue';
import { confirmsEmail, isResetReasonValid } from '../data';

/**
 * The state of a dialog for an action that cannot be undone (an MFA reset, an erasure): a written
 * reason for the audit log and the account's email typed back. Cleared each time the dialog opens;
 * `submit` runs the action with the trimmed reason, then closes the dialog and reports it done.
 */
export function useReasonedAction(
  props: { show: boolean; user: { email: string } },
  run: (reason: string) => Promise<void>,
  finished: () => void,
) {
  const reason = ref('');
  const typedEmail = ref('');
  const submitting = ref(false);
  const error = ref<unknown>(null);

  const reasonValid = computed(() => isResetReasonValid(reason.value));
  const confirmed = computed(() => confirmsEmail(typedEmail.value, props.user.email));
  const canSubmit = computed(() => reasonValid.value && confirmed.value && !submitting.value);

  watch(
    () => props.show,
    (show) => {
      if (!show) return;
      reason.value = '';
      typedEmail.value = '';
      error.value = null;
    },
  );

  async function submit(): Promise<void> {
    if (!canSubmit.value) return;
    submitting.value = true;
    error.value = null;
    try {
      await run(reason.value.trim());
      finished();
    } catch (caught) {
      error.value = caught;
    } finally {
      submitting.value = false;
    }
  }

  return { reason, typedEmail, submitting, error, canSubmit, submit };
}
