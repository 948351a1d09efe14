import { computed, getCurrentScope, onScopeDispose, ref } from 'vue';

/**
 * Whole seconds left until a moment, ticking once a second. Counting against the clock rather
 * than decrementing keeps it right when the tab sleeps and timers fire late.
 */
export function useCountdown() {
  const until = ref<number | null>(null);
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;

  const secondsLeft = computed(() =>
    until.value === null ? 0 : Math.max(0, Math.ceil((until.value - now.value) / 1000)),
  );
  const running = computed(() => secondsLeft.value > 0);

  function stop(): void {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  }

  function start(seconds: number): void {
    stop();
    now.value = Date.now();
    until.value = now.value + seconds * 1000;
    timer = setInterval(() => {
      now.value = Date.now();
      if (secondsLeft.value === 0) stop();
    }, 1000);
  }

  if (getCurrentScope()) onScopeDispose(stop);
  return { secondsLeft, running, start, stop };
}
