import { getCurrentScope, onScopeDispose, ref, shallowRef } from 'vue';

/** One thing read from the API, with its loading and error state; reloading aborts the last read. */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>) {
  const data = shallowRef<T | null>(null);
  const loading = ref(false);
  const error = ref<unknown>(null);
  let inFlight: AbortController | undefined;

  async function reload(): Promise<void> {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    loading.value = true;
    error.value = null;
    try {
      const value = await load(controller.signal);
      if (!controller.signal.aborted) data.value = value;
    } catch (caught) {
      if (!controller.signal.aborted) error.value = caught;
    } finally {
      if (inFlight === controller) loading.value = false;
    }
  }

  if (getCurrentScope()) onScopeDispose(() => inFlight?.abort());
  return { data, loading, error, reload };
}
