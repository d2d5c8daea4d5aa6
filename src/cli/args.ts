/** A small argument parser: `--flag`, `--key value`, `--key=value`, and positionals. */
import { UsageError } from './io';

export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  options: Map<string, string[]>;
}

/**
 * Parses `args`. `valued` names the options that take a value (repeatable); any other `--x` is a flag
 * and must be in `flags`, otherwise a UsageError names it.
 */
export function parseArgs(args: string[], spec: { flags?: string[]; valued?: string[] }): ParsedArgs {
  const flagNames = new Set(spec.flags ?? []);
  const valuedNames = new Set(spec.valued ?? []);
  const out: ParsedArgs = { positionals: [], flags: new Set(), options: new Map() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.positionals.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq === -1 ? undefined : eq);
      if (valuedNames.has(name)) {
        const value = eq === -1 ? args[++i] : a.slice(eq + 1);
        if (value === undefined) throw new UsageError(`--${name} needs a value`);
        out.options.set(name, [...(out.options.get(name) ?? []), value]);
      } else if (flagNames.has(name) && eq === -1) {
        out.flags.add(name);
      } else {
        throw new UsageError(`unknown option --${name}`);
      }
    } else {
      out.positionals.push(a);
    }
  }
  return out;
}

/** The last value of a numeric option, validated as a positive integer. */
export function intOption(parsed: ParsedArgs, name: string, fallback: number): number {
  const raw = parsed.options.get(name)?.at(-1);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive integer, got "${raw}"`);
  return n;
}
