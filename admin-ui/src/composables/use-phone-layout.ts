import { getCurrentScope, onScopeDispose, ref } from 'vue';

/** Below this width the side menu becomes a drawer and tables give way to stacked rows. */
export const PHONE_MAX_WIDTH = 768;

export function usePhoneLayout() {
  const query = typeof window.matchMedia === 'function' ? window.matchMedia(`(max-width: ${PHONE_MAX_WIDTH}px)`) : null;
  const isPhone = ref(query?.matches ?? false);
  const update = (event: MediaQueryListEvent) => {
    isPhone.value = event.matches;
  };
  query?.addEventListener('change', update);
  if (getCurrentScope()) onScopeDispose(() => query?.removeEventListener('change', update));
  return isPhone;
}
