// Memory of a process from /proc (Linux): VmRSS now, VmHWM = peak resident set since start
// (or since the last reset through /proc/<pid>/clear_refs).
import { readFileSync, writeFileSync } from 'node:fs';

export function memOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name) => Number((status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm')) ?? [])[1] ?? NaN);
    return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
  } catch {
    return { rssMiB: NaN, hwmMiB: NaN };
  }
}

/** Resets VmHWM to the current RSS (Linux >= 4.0); returns false when not permitted. */
export function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples VmRSS every `ms` and keeps the maximum (a fallback when clear_refs is unavailable). */
export function sampleRss(pid, ms = 200) {
  let peak = memOf(pid).rssMiB;
  const timer = setInterval(() => {
    const { rssMiB } = memOf(pid);
    if (rssMiB > peak) peak = rssMiB;
  }, ms);
  return {
    stop() {
      clearInterval(timer);
      const { rssMiB } = memOf(pid);
      return Math.max(peak, Number.isFinite(rssMiB) ? rssMiB : 0);
    },
  };
}
