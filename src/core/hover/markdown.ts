/** Small, safe markdown builders for hover text: escaped prose, code spans, links. */

/** Escapes markdown punctuation so that text (a paper title, a meaning) renders literally. */
export function escapeMarkdown(text: string): string {
  const escaped = text
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/[\\`*_[\]()<>~&|]/g, (c) => `\\${c}`);
  // These only matter where they would start a block (list item, heading, quote).
  return escaped.replace(/^(\s*)([-+#>])/, '$1\\$2').replace(/^(\s*\d+)\./, '$1\\.');
}

/**
 * An inline code span that shows `text` literally, whatever backticks it contains: the fence is
 * one backtick longer than the longest run inside, with a space of padding where CommonMark needs it.
 */
export function codeSpan(text: string): string {
  const oneLine = text.replace(/\s*\r?\n\s*/g, ' ');
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') || (oneLine.startsWith(' ') && oneLine.endsWith(' ') && oneLine.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/** Shortens `text` to `max` characters with an ellipsis, on one line. */
export function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

/**
 * A markdown link. The target must be `https:`, `http:` or `command:` (anything else is dropped and
 * the label is returned as plain text); `title` becomes the tooltip.
 */
export function link(label: string, target: string, title?: string): string {
  if (!/^(?:https?:|command:)/i.test(target)) return label;
  // encodeURIComponent leaves parentheses alone, and they would end the markdown link target.
  const safeTarget = target.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  const tip = title ? ` "${title.replace(/["\\]/g, '\\$&')}"` : '';
  return `[${label}](${safeTarget}${tip})`;
}
