import { getCurrentScope, onScopeDispose, ref, shallowRef } from 'vue';

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export type PageLoader<T> = (cursor: string | null, signal: AbortSignal) => Promise<CursorPage<T>>;

/**
 * A list read page by page with the API's opaque cursor ("Load more"). Starting over aborts
 * the request in flight, so a slow answer to an old search never lands in the new list.
 */
export function useCursorList<T>(loadPage: PageLoader<T>) {
  const items = shallowRef<T[]>([]);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const error = ref<unknown>(null);
  /** True once the first page has arrived: tells "empty" apart from "not loaded yet". */
  const loaded = ref(false);
  let inFlight: AbortController | undefined;

  async function fetchPage(cursor: string | null): Promise<void> {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    loading.value = true;
    error.value = null;
    try {
      const page = await loadPage(cursor, controller.signal);
      if (controller.signal.aborted) return;
      items.value = cursor === null ? page.items : [...items.value, ...page.items];
      nextCursor.value = page.nextCursor ?? null;
      loaded.value = true;
    } catch (caught) {
      if (!controller.signal.aborted) error.value = caught;
    } finally {
      if (inFlight === controller) loading.value = false;
    }
  }

  /** Drops what is shown and reads the first page again (new filters, or after an action). */
  function reload(): Promise<void> {
    items.value = [];
    nextCursor.value = null;
    loaded.value = false;
    return fetchPage(null);
  }

  function loadMore(): Promise<void> {
    return nextCursor.value ? fetchPage(nextCursor.value) : Promise.resolve();
  }

  if (getCurrentScope()) onScopeDispose(() => inFlight?.abort());
  return { items, nextCursor, loading, error, loaded, reload, loadMore };
}
