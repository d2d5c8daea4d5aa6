/**
 * Command links for hover markdown. Every link is built here, and only commands on this list can
 * be linked: hovers set `isTrusted: { enabledCommands: HOVER_COMMANDS }`.
 */
export const HOVER_COMMANDS = [
  'paperlens.insertSnippet',
  'paperlens.showConcept',
  'paperlens.copyBibtex',
  'paperlens.openPaper',
] as const;

export type HoverCommand = (typeof HOVER_COMMANDS)[number];

/** A `command:` URI with JSON-encoded arguments, for markdown links. */
export function commandLink(command: HoverCommand, ...args: unknown[]): string {
  if (!(HOVER_COMMANDS as readonly string[]).includes(command)) throw new Error(`Command ${command} is not allowlisted for links`);
  const query = args.length ? `?${encodeURIComponent(JSON.stringify(args))}` : '';
  return `command:${command}${query}`;
}
