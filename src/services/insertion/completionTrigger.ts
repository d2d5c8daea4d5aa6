/**
 * When a completion should offer loss implementations, and for what text. Pure: the line before
 * the cursor in, the typed text and its meaning out.
 */

/** What the user typed that may ask for a loss implementation. */
export type CompletionTrigger =
  /** `loss:` (optionally followed by a query) alone on its line: asks for a definition. */
  | { kind: 'trigger'; start: number; query: string }
  /** An identifier being typed where code goes (`loss = foc`, `    dice_l`). */
  | { kind: 'word'; start: number; word: string };

/** Statement keywords after which an identifier names something new, not a loss to call. */
const DEFINING = /(?:^|[\s;])(?:def|class|import|from|as|global|nonlocal|del|lambda|except)\s+[\w.]*$/;

/**
 * Reads the text before the cursor on its line. `start` is the column where the replaced text
 * begins. Returns undefined when nothing should be offered (after a `.`, in a `def`/`import`…).
 */
export function completionTrigger(linePrefix: string): CompletionTrigger | undefined {
  const trigger = /^(\s*)loss:([A-Za-z0-9_]*)$/.exec(linePrefix);
  if (trigger) return { kind: 'trigger', start: trigger[1].length, query: trigger[2] };
  const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(linePrefix);
  if (!word) return undefined;
  const before = linePrefix.slice(0, word.index);
  if (/\.\s*$/.test(before)) return undefined; // an attribute: `F.foc`
  if (DEFINING.test(linePrefix)) return undefined;
  if (/^\s*@\s*$/.test(before)) return undefined; // a decorator
  return { kind: 'word', start: word.index, word: word[0] };
}

/** Lower-case without `_`, `-` and spaces: `Focal_Loss`, `focal-loss` and `focalloss` meet. */
export function squash(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, '');
}

/** Words too generic to suggest a particular loss (`loss` is also everyone's variable name). */
const GENERIC_PARTS = new Set(['loss', 'losses', 'with', 'and', 'the']);

/**
 * True when `typed` (at least `minLength` characters) starts one of the names: a function name,
 * the concept id, its name, an alias or a hand-written name, or a word within them
 * (`focal` starts the `focal` of `sigmoid_focal_loss`).
 */
export function typedNamesLoss(typed: string, names: readonly string[], minLength = 3): boolean {
  const q = squash(typed);
  if (q.length < minLength) return false;
  for (const name of names) {
    if (squash(name).startsWith(q)) return true;
    for (const part of name.split(/[\s_-]+|(?<=[a-z])(?=[A-Z])/)) {
      if (part.length >= 3 && !GENERIC_PARTS.has(part.toLowerCase()) && squash(part).startsWith(q)) return true;
    }
  }
  return false;
}
