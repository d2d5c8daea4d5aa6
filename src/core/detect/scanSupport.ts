/**
 * Small helpers of the scanner (`scanUsages.ts` … `scanReferences.ts`): names, strings and module
 * paths read from the source, a name-keyed hash table, and per-token arrays lent between scans.
 */
import type { UsageHow } from './types';

/** A call's arguments are scanned for at most this many tokens (a call left open while typing). */
export const MAX_CALL_TOKENS = 4096;

export function topLevelPackage(dotted: string): string {
  const dot = dotted.indexOf('.');
  return dot === -1 ? dotted : dotted.slice(0, dot);
}

export function isClassLike(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 65 && c <= 90;
}

/**
 * The contents of a plain string literal token `[s, e)` when it is a name (`"mse"`, `'huber'`): its
 * text and offsets between the quotes. Undefined for f-strings, byte strings, escapes and other text.
 */
export function stringContent(text: string, s: number, e: number): { text: string; start: number; end: number } | undefined {
  let p = s;
  while (p < e && /[rRuU]/.test(text[p])) p++;
  const q = text[p];
  if (q !== '"' && q !== "'") return undefined;
  const triple = text.startsWith(q.repeat(3), p);
  const open = p + (triple ? 3 : 1);
  const close = e - (triple ? 3 : 1);
  if (close <= open) return undefined;
  const value = text.slice(open, close);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) return undefined;
  return { text: value, start: open, end: close };
}

/**
 * True when a module path is a losses module (`keras_cv.src.losses.focal`, `timm.loss`,
 * `transformers.loss.loss_utils`) and no metrics module (`keras.metrics`, `torchmetrics.functional`).
 */
export function mentionsLossWord(text: string): boolean {
  return text.indexOf('oss') !== -1 || text.indexOf('riterion') !== -1;
}

export function isLossModulePath(module: string): boolean {
  if (!mentionsLossWord(module)) return false;
  let known = lossModulePaths.get(module);
  if (known === undefined) {
    known = /(?:^|\.)[A-Za-z_]*(?:loss|criterion)[A-Za-z_]*(?:\.|$)/i.test(module) && !/metric/i.test(module);
    if (lossModulePaths.size >= 5_000) lossModulePaths.clear();
    lossModulePaths.set(module, known);
  }
  return known;
}

/** Answers of `isLossModulePath` for the module paths that mention a loss. */
const lossModulePaths = new Map<string, boolean>();

/** What an attribute's name says (`attributeCall`). */
export interface AttributeAnswer {
  conceptId: string;
  kind: 'class' | 'function';
  how: UsageHow;
  /** The name ends a library identifier (`cross_entropy`): only a method on `self` is named by it. */
  libraryName: boolean;
}

/**
 * An open-addressing table keyed by names, probed by the caller with a hash of the name's
 * characters in the source, so that a hit needs no string (see `ScanReferences.attributeCall`).
 */
export class NameTable<V> {
  keys: (string | undefined)[] = new Array(256);
  values: V[] = new Array(256);
  mask = 255;
  private size = 0;

  insert(slot: number, key: string, value: V): void {
    this.keys[slot] = key;
    this.values[slot] = value;
    if (++this.size * 2 > this.mask) this.grow();
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.mask = this.mask * 2 + 1;
    this.keys = new Array(this.mask + 1);
    this.values = new Array(this.mask + 1);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      if (key === undefined) continue;
      let h = 2166136261;
      for (let p = 0; p < key.length; p++) h = Math.imul(h ^ key.charCodeAt(p), 16777619);
      let slot = (h >>> 0) & this.mask;
      while (this.keys[slot] !== undefined) slot = (slot + 1) & this.mask;
      this.keys[slot] = key;
      this.values[slot] = values[k];
    }
  }
}

/**
 * Per-token working arrays lent from one scan to the next: at a megabyte each for a large file,
 * allocating them per scan fed the old-generation GC.
 */
export const scratchArrays = {
  byteBuffer: new Uint8Array(0),
  intBuffer: new Int32Array(0),
  /**
   * Scans running (`scanSource`): more than one when a scan scans another file meanwhile (a
   * project's module, `project.ts`); that scan gets arrays of its own, not the outer scan's.
   */
  active: 0,
  /** `n` zeroed bytes. */
  bytes(n: number): Uint8Array {
    if (this.active > 1) return new Uint8Array(n);
    if (this.byteBuffer.length < n) this.byteBuffer = new Uint8Array(Math.max(n, this.byteBuffer.length * 2));
    const view = this.byteBuffer.subarray(0, n);
    view.fill(0);
    return view;
  },
  /** `n` ints set to -1. */
  ints(n: number): Int32Array {
    if (this.active > 1) return new Int32Array(n).fill(-1);
    if (this.intBuffer.length < n) this.intBuffer = new Int32Array(Math.max(n, this.intBuffer.length * 2));
    const view = this.intBuffer.subarray(0, n);
    view.fill(-1);
    return view;
  },
};
