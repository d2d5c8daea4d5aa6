/**
 * Import statements, read from the token stream: the one binding type of the project, used by the
 * detector, the snippet catalogue and the insertion planner alike.
 *
 * `import a.b.c` binds `a` (→ `a`); `import a.b as x` binds `x` (→ `a.b`); `from m import n as y`
 * binds `y` (→ `m.n`); relative imports keep their leading dots in the target (`from . import x`
 * → `.x`, `from ..pkg import y` → `..pkg.y`), so a reader can tell the project's own modules from
 * installed packages. `from m import *` binds nothing nameable and is flagged `star`.
 */
import {
  TK_COMMA, TK_DOT, TK_ELLIPSIS, TK_LPAR, TK_NAME, TK_NEWLINE, TK_RPAR, TK_SEMI, TK_STAR,
  type TokenStream,
} from './tokenizer';

/** A name an import binds, and what it refers to. */
export interface ImportBinding {
  /** The name bound in the importing module (`F` in `import torch.nn.functional as F`). */
  name: string;
  /** The dotted path it refers to: `torch.nn.functional`, `torch.nn.CrossEntropyLoss`, `.losses.FocalLoss`. */
  target: string;
  /** The name as imported, before `as`: the imported name of a `from` import, the module of an `import`. */
  importedName: string;
  /** True for `from M import name` (the target may be a function or class, not a module). */
  fromImport: boolean;
  /** True for a relative import (`from .losses import …`): the project's own code. */
  relative: boolean;
  /** Token index of the imported name (the first name token of the module for `import a.b`). */
  nameToken: number;
}

/** One `import …` or `from … import …` statement. */
export interface ImportStatement {
  /** Token indices of `import`/`from` and of the statement's last token. */
  firstToken: number;
  lastToken: number;
  /** Offset of `import`/`from`, and just after the statement's last token. */
  start: number;
  end: number;
  /** The module of a `from` import as written, leading dots included (`.losses`, `torch.nn`); '' for `import`. */
  module: string;
  bindings: ImportBinding[];
  /** True for `from M import *`. */
  star: boolean;
}

/** Python identifiers are compared after NFKC normalisation (PEP 3131). */
export function normalizeName(raw: string): string {
  for (let i = 0; i < raw.length; i++) {
    if (raw.charCodeAt(i) >= 128) return raw.normalize('NFKC');
  }
  return raw;
}

function word(text: string, tokens: TokenStream, t: number): string {
  return t < tokens.count ? normalizeName(text.slice(tokens.start[t], tokens.end[t])) : '';
}

function isWord(text: string, tokens: TokenStream, t: number, value: string): boolean {
  return t < tokens.count && tokens.kind[t] === TK_NAME && tokens.end[t] - tokens.start[t] === value.length && text.startsWith(value, tokens.start[t]);
}

function endsStatement(tokens: TokenStream, t: number): boolean {
  return t >= tokens.count || tokens.kind[t] === TK_NEWLINE || tokens.kind[t] === TK_SEMI;
}

/** A dotted name from token `t`: its parts and the index after it. */
function dotted(text: string, tokens: TokenStream, t: number): { parts: string[]; next: number } {
  const parts: string[] = [];
  let j = t;
  while (j < tokens.count && tokens.kind[j] === TK_NAME) {
    parts.push(word(text, tokens, j));
    if (tokens.kind[j + 1] === TK_DOT && tokens.kind[j + 2] === TK_NAME) j += 2;
    else {
      j++;
      break;
    }
  }
  return { parts, next: j };
}

/**
 * Reads the import statement whose `import` or `from` keyword is token `first`. Undefined when it
 * is not one (`yield from x`, `raise E from e`, a bare `import`). The statement ends at the end of
 * the logical line or at `;`.
 */
export function readImportStatement(text: string, tokens: TokenStream, first: number): ImportStatement | undefined {
  const { kind } = tokens;
  const bindings: ImportBinding[] = [];
  if (isWord(text, tokens, first, 'import')) {
    let j = first + 1;
    while (!endsStatement(tokens, j)) {
      if (kind[j] !== TK_NAME) {
        j++;
        continue;
      }
      const nameToken = j;
      const { parts, next } = dotted(text, tokens, j);
      j = next;
      const module = parts.join('.');
      if (isWord(text, tokens, j, 'as') && kind[j + 1] === TK_NAME) {
        bindings.push({ name: word(text, tokens, j + 1), target: module, importedName: module, fromImport: false, relative: false, nameToken });
        j += 2;
      } else {
        bindings.push({ name: parts[0], target: parts[0], importedName: parts[0], fromImport: false, relative: false, nameToken });
      }
    }
    if (bindings.length === 0) return undefined;
    return statement(tokens, first, j - 1, '', bindings, false);
  }
  if (!isWord(text, tokens, first, 'from')) return undefined;
  let j = first + 1;
  let dots = '';
  while (j < tokens.count && (kind[j] === TK_DOT || kind[j] === TK_ELLIPSIS)) {
    dots += kind[j] === TK_DOT ? '.' : '...';
    j++;
  }
  let parts: string[] = [];
  if (kind[j] === TK_NAME && !isWord(text, tokens, j, 'import')) {
    const d = dotted(text, tokens, j);
    parts = d.parts;
    j = d.next;
  }
  if (!isWord(text, tokens, j, 'import') || (dots === '' && parts.length === 0)) return undefined;
  const module = dots + parts.join('.');
  const relative = dots.length > 0;
  let star = false;
  let depth = 0;
  j++;
  for (; j < tokens.count; j++) {
    const k = kind[j];
    if (depth === 0 && (k === TK_NEWLINE || k === TK_SEMI)) break;
    if (k === TK_LPAR) depth++;
    else if (k === TK_RPAR) {
      if (depth === 0) break;
      depth--;
      if (depth === 0) {
        j++;
        break;
      }
    } else if (k === TK_STAR) star = true;
    else if (k === TK_NEWLINE) break; // only inside brackets after error recovery
    else if (k === TK_NAME && kind[j - 1] !== TK_DOT) {
      const nameToken = j;
      const importedName = word(text, tokens, j);
      let name = importedName;
      if (isWord(text, tokens, j + 1, 'as') && kind[j + 2] === TK_NAME) {
        name = word(text, tokens, j + 2);
        j += 2;
      }
      const target = module.endsWith('.') ? module + importedName : `${module}.${importedName}`;
      bindings.push({ name, target, importedName, fromImport: true, relative, nameToken });
    } else if (k !== TK_COMMA && k !== TK_NAME) {
      // Anything else (a stray token while typing) ends the name list.
    }
  }
  return statement(tokens, first, j - 1, module, bindings, star);
}

function statement(tokens: TokenStream, first: number, last: number, module: string, bindings: ImportBinding[], star: boolean): ImportStatement {
  const lastToken = Math.max(first, last);
  return { firstToken: first, lastToken, start: tokens.start[first], end: tokens.end[lastToken], module, bindings, star };
}

/**
 * Collapses a multi-line import onto one line: `from a import (\n  b,\n)` → `from a import (b)`.
 * Only a trailing comma followed by a line break is dropped, so a default such as `(1,)` survives.
 */
export function normalizeStatementText(source: string): string {
  return source
    .replace(/\\\r?\n/g, ' ')
    .replace(/,[ \t]*(?:\r\n|\r|\n)\s*\)/g, ')')
    .replace(/\s+/g, ' ')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')')
    .trim();
}
