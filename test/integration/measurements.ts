/**
 * Figures measured inside the extension host and reported with the results, never asserted (the
 * brief: tests do not assert timings). Suite files are bundled separately from the entry, so the
 * list lives on `globalThis`, which the entry and every suite bundle share in one extension host.
 */
export interface Measurement {
  /** Dotted name, e.g. `hover.roundTrip.vs-empty-provider`. */
  name: string;
  /** PaperLens's figure (median), in `unit`. */
  value: number;
  /** The baseline measured interleaved with it in the same run (median), in `unit`. */
  baseline: number;
  /** value / baseline. */
  ratio: number;
  unit: 'ms';
  /** How it was measured, one line. */
  note: string;
}

const KEY = '__paperlensIntegrationMeasurements';

function store(): Measurement[] {
  const g = globalThis as unknown as Record<string, Measurement[] | undefined>;
  return (g[KEY] ??= []);
}

export function recordMeasurement(m: Omit<Measurement, 'ratio'>): Measurement {
  const full: Measurement = { ...m, ratio: m.baseline > 0 ? m.value / m.baseline : Number.POSITIVE_INFINITY };
  store().push(full);
  return full;
}

export function measurements(): Measurement[] {
  return store().slice();
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
