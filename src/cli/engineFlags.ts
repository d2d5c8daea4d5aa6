/**
 * V8 settings for the CLI's process, applied by the launcher (`launch.ts`) before the program is
 * compiled, and by the build before it makes the program's code cache (scripts/cliCodeCache.ts):
 * V8 turns down a cache made under other flags, so both sides must set the same ones.
 *
 * `--no-turbo-inlining`. A CLI run is short: most of a large file's scan runs before V8's
 * optimising compiler (TurboFan, on a background thread) has finished with the hot loops. With
 * inlining, each of those compiles is large (up to 120 ms for the scope pass of the detector), the
 * queue of them falls behind the work, and a 50,000-line scan made about 200 of them adding up to
 * 2.5 s of compile time on a two-core machine, longer than the scan. Without inlining they are
 * smaller and done sooner, so the loops run optimised for more of the run (issue 23; the effect on
 * each 50,000-line file is in the README's performance section). The flag only changes how V8
 * compiles, never what the program does.
 *
 * Only the CLI sets it: the editor's extension host and language-model tools run in VS Code's own
 * process, whose settings are not ours to change.
 */
import v8 from 'node:v8';

/** Each one a `--no-…` flag: {@link restoreDefaultEngineFlags} turns it back on. */
export const CLI_V8_FLAGS: readonly string[] = ['--no-turbo-inlining'];

/**
 * Node's built-in modules the program loads. Node compiles its built-ins from a code cache of its
 * own, which V8 also checks against the flags: one loaded after the flags change is compiled from
 * source (three times as long: about 10 ms of a small scan's start-up). So these are loaded first.
 * `process.stdout` and `process.stderr` make their streams (`net`, `tty` or a file's) when first read.
 */
const BUILTINS_USED = ['node:diagnostics_channel', 'node:fs/promises', 'node:os', 'node:perf_hooks', 'node:worker_threads'];

/**
 * Sets {@link CLI_V8_FLAGS} in this process, before the program they help is compiled, after
 * loading the built-ins it uses.
 */
export function applyCliEngineFlags(): void {
  for (const name of BUILTINS_USED) require(name);
  void process.stdout;
  void process.stderr;
  for (const flag of CLI_V8_FLAGS) v8.setFlagsFromString(flag);
}

/**
 * Back to V8's defaults for the compiles still to come, when the run is long enough for them to
 * pay off: a scan of many files runs the same loops over and over, and there inlining wins (`scan`
 * calls this from 1,000 files, see MANY_FILES there; `mcp`, a server, always). The code cache was
 * checked at load, so changing flags now cannot cost it.
 */
export function restoreDefaultEngineFlags(): void {
  for (const flag of CLI_V8_FLAGS) v8.setFlagsFromString(flag.replace(/^--no-/, '--'));
}
