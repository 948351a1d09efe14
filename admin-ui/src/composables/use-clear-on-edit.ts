import { watch, type Ref, type WatchSource } from 'vue';

/**
 * An error answers what was sent: once the person edits one of the fields it was about, it no
 * longer describes the form and would contradict the meter (a refused password stays "Common
 * password" under a strong one). The next submit says again whatever still applies.
 */
export function useClearOnEdit(error: Ref<unknown>, fields: WatchSource<string>[]): void {
  watch(fields, () => {
    error.value = null;
  });
}
