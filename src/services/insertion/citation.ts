/** Where a citation comment goes on the cursor's line. Pure. */

/** Line-comment prefix for a VS Code language id (`#` where unknown: Python is the home language). */
export function commentPrefixFor(languageId: string): string {
  if (/^(javascript|typescript|javascriptreact|typescriptreact|c|cpp|csharp|java|go|rust|swift|kotlin|scala|dart|php|jsonc)$/.test(languageId)) return '//';
  if (/^(latex|tex|bibtex|matlab)$/.test(languageId)) return '%';
  if (/^(lua|sql|haskell)$/.test(languageId)) return '--';
  return '#';
}

/**
 * The edit, within the cursor's line, that adds `comment`: on an empty line it fills the line
 * (keeping its indentation); otherwise it goes on a new line above, indented like the line.
 * Offsets are columns in `lineText`.
 */
export function citationEdit(lineText: string, comment: string, eol: string): { start: number; end: number; text: string } {
  const indent = /^[ \t]*/.exec(lineText)![0];
  if (lineText.trim() === '') return { start: indent.length, end: lineText.length, text: comment };
  return { start: 0, end: 0, text: `${indent}${comment}${eol}` };
}
