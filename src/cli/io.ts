/** The I/O surface of a CLI command, injectable so tests can run commands in-process. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Directory holding the shipped data (papers.json, concepts.json, snippets.json). */
  dataDir: string;
  cwd: string;
}

/** A CLI subcommand: parses its own arguments and returns the process exit code. */
export type CliCommand = (args: string[], io: CliIO) => Promise<number>;

/** Thrown for bad command-line usage; main prints the message and exits 2. */
export class UsageError extends Error {}
