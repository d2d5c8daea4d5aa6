/**
 * Where and how a loss implementation goes into a Python file or notebook cell: pure planning over
 * text, unit-tested without VS Code (test/unit/editor-logic). The editor applies the plan's edits
 * as one undoable edit.
 *
 * The rules (also in the README):
 *  - the function goes right after the module's preamble (docstring, `from __future__`, the leading
 *    imports), two blank lines either side, never inside the expression being typed;
 *  - except when the cursor is on an empty line at module level below the imports: then it goes
 *    there, where the user is writing top-level code;
 *  - missing imports are added once, at the end of the import block; an import counts as present
 *    when the module (or, in a notebook, an earlier cell) already binds the same name to the same
 *    thing, whatever the spelling (`from torch.nn import functional as F` satisfies
 *    `import torch.nn.functional as F`); a name bound to something else is left alone and reported;
 *  - when the file already defines the function, nothing is inserted but the call;
 *  - the call at the cursor is written only when the user typed the loss's name where code goes
 *    (completion); the palette, hover and sidebar actions insert the definition only;
 *  - indentation follows the file (tabs or N spaces) and line endings follow the file (LF or CRLF).
 * Rendering the snippet itself (citation header, no module docstring, indentation, line endings,
 * which imports are missing) is the catalog's `renderSnippet`; this module decides where it goes.
 */
import { TK_COMMA, TK_EQUAL, TK_LBRACE, TK_LPAR, TK_LSQB, TK_NAME, TK_RBRACE, TK_RPAR, TK_RSQB, TK_COLON, TK_STAR, TK_DOUBLESTAR, TK_OP, PYTHON_KEYWORDS, PYTHON_SOFT_KEYWORDS, tokenize } from '../../core/python/tokenizer';
import { renderSnippet } from '../../core/snippets/render';
import type { Snippet } from '../../core/snippets/types';
import type { ImportBinding } from '../../core/python/imports';
import { lineEnd as lineEndFrom, lineIndex, lineStartBefore } from '../../core/text/lineIndex';
import { outlineModule, parseImports, positionContext, type ModuleOutline, type PositionContext } from '../../core/python/module';

/** A public function of a snippet, for writing a call to it. */
export interface FunctionSignature {
  name: string;
  /** Parameters without a default value, in order (what a call must pass). */
  required: string[];
}

/** What insertion needs to know about a snippet's code besides its rendering. */
export interface SnippetParts {
  /** Public (not `_`-prefixed) top-level functions, in order, with their required parameters. */
  functions: FunctionSignature[];
  /** Every top-level name the code defines, helpers included. */
  definedNames: string[];
}

/** Reads the functions and top-level names of snippet source. */
export function snippetParts(code: string): SnippetParts {
  const text = code.replace(/\r\n?/g, '\n');
  return {
    functions: readSignatures(text).filter((f) => !f.name.startsWith('_')),
    definedNames: [...outlineModule(text).definitions.keys()],
  };
}

/** Signatures of the top-level `def`s in `code`. */
export function readSignatures(code: string): FunctionSignature[] {
  const tokens = tokenize(code);
  const out: FunctionSignature[] = [];
  const word = (t: number): string => code.slice(tokens.start[t], tokens.end[t]);
  for (let t = 0; t + 2 < tokens.count; t++) {
    if (tokens.kind[t] !== TK_NAME || word(t) !== 'def' || tokens.kind[t + 1] !== TK_NAME || tokens.kind[t + 2] !== TK_LPAR) continue;
    const lineStart = lineStartBefore(code, tokens.start[t]);
    const prefix = code.slice(lineStart, tokens.start[t]);
    if (prefix !== '' && prefix !== 'async ') continue;
    const required: string[] = [];
    let depth = 0;
    let param: { name?: string; hasDefault: boolean; starred: boolean } = { hasDefault: false, starred: false };
    let afterColon = false;
    const finish = (): void => {
      if (param.name && !param.hasDefault && !param.starred && param.name !== 'self' && param.name !== 'cls') required.push(param.name);
      param = { hasDefault: false, starred: false };
      afterColon = false;
    };
    let j = t + 3;
    for (; j < tokens.count; j++) {
      const k = tokens.kind[j];
      if (depth === 0 && k === TK_RPAR) break;
      if (k === TK_LPAR || k === TK_LSQB || k === TK_LBRACE) depth++;
      else if (k === TK_RPAR || k === TK_RSQB || k === TK_RBRACE) depth--;
      if (depth !== 0) continue;
      if (k === TK_COMMA) finish();
      else if (k === TK_EQUAL) param.hasDefault = true;
      else if (k === TK_COLON) afterColon = true;
      else if (k === TK_STAR || k === TK_DOUBLESTAR) param.starred = true;
      else if (k === TK_OP && word(j) === '/') param.starred = true;
      else if (k === TK_NAME && !param.name && !afterColon) param.name = word(j);
    }
    finish();
    out.push({ name: word(t + 1), required });
    t = j;
  }
  return out;
}

/** A replacement of `[start, end)` in the original text. */
export interface PlannedEdit {
  start: number;
  end: number;
  text: string;
}

export interface InsertionRequest {
  /** The document's (or notebook cell's) text. */
  text: string;
  /** Cursor offset. */
  cursor: number;
  /** The catalog snippet (its source and citation header). */
  snippet: Pick<Snippet, 'code' | 'header'>;
  /** A notebook cell: IPython magics are skipped. */
  ipython?: boolean;
  /** Names bound by earlier notebook cells (they are in the kernel when this cell runs). */
  priorBindings?: readonly Pick<ImportBinding, 'name' | 'target'>[];
  /** The editor's indentation unit (`\t` or spaces); detected from the text when absent. */
  indentUnit?: string;
  /** The document's line ending; detected from the text when absent. */
  eol?: '\n' | '\r\n';
  /**
   * Text being typed that the insertion replaces (a completion's word, or a `loss:…` trigger). It is
   * replaced by the call when `call` is set, otherwise removed.
   */
  typed?: { start: number; end: number };
  /** Write a call to this function at the cursor (replacing `typed`). */
  call?: string;
  /** {@link positionContext} of the cursor (with `typed.start` as the word start), when the caller has it. */
  context?: PositionContext;
}

export interface InsertionPlan {
  /** All edits, sorted and non-overlapping, including `primary`: apply them together as one edit. */
  edits: PlannedEdit[];
  /** The edit at the cursor (replacing the typed text), when there is one; `snippet` is its text in snippet syntax. */
  primary?: PlannedEdit & { snippet: string };
  /** Where the definition went. */
  placement: 'after-imports' | 'at-cursor' | 'already-defined';
  /** Import statements added. */
  addedImports: string[];
  /** Names the snippet's imports would bind that the file binds to something else (not added). */
  conflicts: { name: string; existing: string; wanted: string }[];
  /** Helper names the file already defines and the inserted code redefines. */
  redefined: string[];
  /** Offset, in the text after all edits, of the inserted definition's first line (or of the existing one). */
  revealOffset: number;
}

/** Plans an insertion. Pure and total: any text and offset give a plan. */
export function planInsertion(req: InsertionRequest): InsertionPlan {
  const cursor = clamp(req.cursor, 0, req.text.length);
  const start = req.typed ? clamp(req.typed.start, 0, cursor) : cursor;
  const end = req.typed ? clamp(req.typed.end, cursor, req.text.length) : cursor;
  const word = req.text.slice(start, end);
  if (!req.typed || cursor !== end || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(word) || PYTHON_KEYWORDS.has(word) || PYTHON_SOFT_KEYWORDS.has(word) || word === WORD_STAND_IN) return planAt(req);
  // Plan on the text with the typed word replaced by one stand-in name, then shift what follows
  // it. The result is the same (the word is an identifier either way, and it is replaced), and that
  // text does not change while the word grows: each keystroke of a completion reuses its outline
  // instead of reading a large file again.
  const delta = word.length - WORD_STAND_IN.length;
  const inner = planAt({
    ...req,
    text: req.text.slice(0, start) + WORD_STAND_IN + req.text.slice(end),
    cursor: start + WORD_STAND_IN.length,
    typed: { start, end: start + WORD_STAND_IN.length },
  });
  const at = (o: number) => (o <= start ? o : o + delta);
  const mapEdit = <E extends PlannedEdit>(e: E): E => ({ ...e, start: at(e.start), end: at(e.end) });
  const primary = inner.primary && mapEdit(inner.primary);
  // `primary` stays one of `edits` (callers tell it apart by identity).
  return { ...inner, edits: inner.edits.map((e) => (e === inner.primary ? primary! : mapEdit(e))), primary };
}

/** The name that stands for the word being typed (see {@link planInsertion}). */
const WORD_STAND_IN = '_';

/** {@link planInsertion} computed on the text as given, without the typed-word reuse: its reference in tests. */
export function planAt(req: InsertionRequest): InsertionPlan {
  const text = req.text;
  const cursor = clamp(req.cursor, 0, text.length);
  const typed = req.typed ? { start: clamp(req.typed.start, 0, cursor), end: clamp(req.typed.end, cursor, text.length) } : undefined;
  const outline = outlineModule(text, { ipython: req.ipython });
  const parts = snippetParts(req.snippet.code);
  // Names bound at module level that renderSnippet (column-0 imports only) does not see: earlier
  // notebook cells, and imports inside a top-level `try:`/`if:`.
  const nested = outline.imports.filter((i) => !i.topLevel).flatMap((i) => i.bindings);
  const rendered = renderSnippet(req.snippet, {
    documentText: text,
    indentUnit: req.indentUnit,
    eol: req.eol,
    extraBindings: [...(req.priorBindings ?? []), ...nested],
  });
  const eol = rendered.eol;
  const bound = new Map<string, string>();
  for (const b of [...(req.priorBindings ?? []), ...outline.imports.flatMap((i) => i.bindings)]) if (!bound.has(b.name)) bound.set(b.name, b.target);
  // An import that would rebind a name the file uses for something else is not added (that would
  // break the user's code below it); the conflict is reported instead.
  const conflicts: InsertionPlan['conflicts'] = [];
  const missing = rendered.imports.filter((statement) => {
    const clashes = (parseImports(statement)[0]?.bindings ?? []).filter((b) => bound.has(b.name) && bound.get(b.name) !== b.target);
    for (const c of clashes) conflicts.push({ name: c.name, existing: bound.get(c.name)!, wanted: c.target });
    return clashes.length === 0;
  });
  const existingPublic = parts.functions.map((f) => f.name).filter((n) => outline.definitions.has(n));
  const alreadyDefined = existingPublic.length > 0;
  const redefined = alreadyDefined ? [] : parts.definedNames.filter((n) => outline.definitions.has(n));

  const edits: PlannedEdit[] = [];
  let primary: InsertionPlan['primary'];
  const call = req.call ? parts.functions.find((f) => f.name === req.call) ?? { name: req.call, required: [] } : undefined;
  const callText = call ? `${call.name}(${call.required.join(', ')})` : '';
  const callSnippet = call ? `${call.name}(${call.required.map((p, i) => `\${${i + 1}:${p}}`).join(', ')})$0` : '';

  const preambleEnd = insertionPoint(text, outline, req.ipython === true);
  const body = alreadyDefined ? '' : rendered.body.replace(/(?:\r\n|\n)$/, '');
  const importLines = missing.map((m) => m + eol).join('');

  // Definition at the cursor: an empty line at module level below the imports, and no call wanted.
  // Only a definition without a call can go at the cursor; a call never needs the cursor's context.
  const ctx = alreadyDefined || call ? undefined : req.context ?? positionContext(text, cursor, { ipython: req.ipython, wordStart: typed?.start ?? cursor });
  const atCursor = ctx !== undefined && ctx.moduleLevel && ctx.blankLine && ctx.lineStart >= preambleEnd;

  const placement: InsertionPlan['placement'] = alreadyDefined ? 'already-defined' : atCursor ? 'at-cursor' : 'after-imports';
  let definitionEdit: PlannedEdit | undefined;
  let definitionPrefixLength = 0;

  if (placement === 'at-cursor' && ctx) {
    const lineStart = ctx.lineStart;
    const lineEnd = lineEndFrom(text, lineStart);
    const { above, below, codeAbove, codeBelow } = blankLinesAround(text, outline, lineStart);
    // New imports go above, at the preamble's end: they count as code above the definition.
    const lead = codeAbove || importLines ? eol.repeat(Math.max(0, 2 - above)) : '';
    const trail = codeBelow ? eol.repeat(Math.max(0, 2 - below)) : '';
    const newText = lead + body + trail + (lineEnd === text.length ? eol : '');
    if (importLines) edits.push({ start: preambleEnd, end: preambleEnd, text: importsText(text, outline, preambleEnd, importLines, eol) });
    const edit = { start: lineStart, end: lineEnd, text: newText };
    edits.push(edit);
    if (typed) primary = Object.assign(edit, { snippet: escapeSnippet(newText) });
    definitionEdit = edit;
    definitionPrefixLength = lead.length;
  } else {
    if (body || importLines) {
      const block = definitionBlock(text, outline, preambleEnd, importLines, body, eol);
      definitionEdit = { start: preambleEnd, end: preambleEnd, text: block.text };
      edits.push(definitionEdit);
      definitionPrefixLength = block.definitionOffset;
    }
    if (typed || call) {
      const start = typed?.start ?? cursor;
      const end = typed?.end ?? cursor;
      primary = { start, end, text: callText, snippet: callSnippet || '' };
      edits.push(primary);
    }
  }

  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  // Where the definition ends up once every edit before it has been applied.
  let revealOffset: number;
  if (definitionEdit && body) {
    revealOffset = shiftedOffset(edits, definitionEdit.start, definitionEdit) + definitionPrefixLength;
  } else {
    const existing = existingPublic.map((n) => outline.definitions.get(n)!).sort((a, b) => a - b)[0];
    revealOffset = shiftedOffset(edits, existing !== undefined ? lineStartBefore(text, existing) : cursor);
  }
  const merged = primary ? foldTouching(edits, primary) : undefined;
  return { edits: merged ? edits : mergeTouching(edits), primary: merged, placement, addedImports: missing, conflicts, redefined, revealOffset };
}

/** Merges edits that touch (VS Code rejects an insertion at the boundary of a replacement). `edits` is sorted. */
function mergeTouching(edits: PlannedEdit[]): PlannedEdit[] {
  const out: PlannedEdit[] = [];
  for (const e of edits) {
    const last = out[out.length - 1];
    if (last && e.start === last.end) out[out.length - 1] = { start: last.start, end: e.end, text: last.text + e.text };
    else out.push(e);
  }
  return out;
}

/**
 * VS Code rejects edits that touch (an insertion at the start or end of a replacement). Folds any
 * edit touching `primary` into it, in place in `edits`, and returns the new primary.
 */
function foldTouching(edits: PlannedEdit[], primary: PlannedEdit & { snippet: string }): PlannedEdit & { snippet: string } {
  let merged = primary;
  for (let i = 0; i < edits.length; i++) {
    const e = edits[i];
    if (e === primary || e === merged) continue;
    if (e.end === merged.start && e.start <= merged.start) {
      merged = { start: e.start, end: merged.end, text: e.text + merged.text, snippet: escapeSnippet(e.text) + merged.snippet };
    } else if (e.start === merged.end && e.end >= merged.end) {
      merged = { start: merged.start, end: e.end, text: merged.text + e.text, snippet: merged.snippet + escapeSnippet(e.text) };
    } else continue;
    edits.splice(i, 1);
    i = -1;
  }
  const at = edits.indexOf(primary);
  if (at >= 0) edits[at] = merged;
  return merged;
}

/** Offset `at` of the original text once the edits before it (other than `self`) are applied. */
function shiftedOffset(edits: readonly PlannedEdit[], at: number, self?: PlannedEdit): number {
  let delta = 0;
  for (const e of edits) if (e !== self && e.end <= at && (e.start < at || e.end === e.start)) delta += e.text.length - (e.end - e.start);
  return at + delta;
}

/** Escapes text for a VS Code snippet string (`$`, `}` and `\` are syntax there). */
export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, '\\$&');
}

/**
 * The offset after the preamble. Without docstring or imports: after a leading comment header
 * (shebang, encoding, licence) that a blank line separates from the code, else after the shebang
 * and encoding lines only. In a notebook cell, leading IPython magics (`%%time` must stay first)
 * count as such lines.
 */
function insertionPoint(text: string, outline: ModuleOutline, ipython: boolean): number {
  if (outline.preambleKind !== 'none') return outline.preambleEnd;
  const lines = outline.lineStarts;
  let afterHeader = 0;
  let afterShebang = 0;
  for (let i = 0; i < lines.length; i++) {
    const start = lines[i];
    const end = lineEndFrom(text, start);
    const line = text.slice(start, end).trim();
    const next = i + 1 < lines.length ? lines[i + 1] : text.length;
    const magic = ipython && /^[%!]/.test(line);
    if (line.startsWith('#') || magic) {
      if (afterShebang === start && (magic || line.startsWith('#!') || /coding[:=]/.test(line))) afterShebang = next;
      continue;
    }
    if (line === '') {
      afterHeader = next;
      continue;
    }
    break;
  }
  // After the header's blank line(s): the header keeps its separation from what is inserted.
  return afterHeader > 0 ? afterHeader : afterShebang;
}

/** Counts blank lines directly above and below the line starting at `lineStart`, and whether code lies beyond them. */
function blankLinesAround(text: string, outline: ModuleOutline, lineStart: number): { above: number; below: number; codeAbove: boolean; codeBelow: boolean } {
  const lines = outline.lineStarts;
  const idx = lineIndex(lines, lineStart);
  const isBlank = (i: number): boolean => text.slice(lines[i], lineEndFrom(text, lines[i])).trim() === '';
  let above = 0;
  let i = idx - 1;
  while (i >= 0 && isBlank(i)) {
    above++;
    i--;
  }
  let below = 0;
  let j = idx + 1;
  while (j < lines.length && isBlank(j)) {
    below++;
    j++;
  }
  return { above, below, codeAbove: i >= 0, codeBelow: j < lines.length };
}

/** The text inserted at the preamble's end: new imports, then the definition, with PEP 8 spacing. */
function definitionBlock(text: string, outline: ModuleOutline, at: number, importLines: string, body: string, eol: string): { text: string; definitionOffset: number } {
  const needsLeadingEol = at > 0 && at === text.length && !/[\r\n]$/.test(text);
  let out = needsLeadingEol ? eol : '';
  const blankAfter = countBlankLinesFrom(text, at);
  const codeAfter = text.slice(at).trim() !== '';
  const afterDocstringOrHeader = outline.preambleKind !== 'imports' && at > 0;
  if (importLines) {
    if (afterDocstringOrHeader && outline.preambleKind === 'docstring') out += eol;
    out += importLines;
  }
  let definitionOffset = out.length;
  if (body) {
    // Two blank lines after imports or a docstring; a comment header already ends where it ends.
    if (importLines !== '' || (at > 0 && outline.preambleKind !== 'none')) out += eol.repeat(2);
    definitionOffset = out.length;
    out += body + eol;
    if (codeAfter) out += eol.repeat(Math.max(0, 2 - blankAfter));
  } else if (codeAfter && blankAfter === 0) {
    out += eol;
  }
  return { text: out, definitionOffset };
}

/** Imports inserted on their own at the preamble's end (the definition goes elsewhere). */
function importsText(text: string, outline: ModuleOutline, at: number, importLines: string, eol: string): string {
  const needsLeadingEol = at > 0 && at === text.length && !/[\r\n]$/.test(text);
  let out = needsLeadingEol ? eol : '';
  if (outline.preambleKind === 'docstring') out += eol;
  out += importLines;
  if (outline.preambleKind !== 'imports' && countBlankLinesFrom(text, at) === 0 && text.slice(at).trim() !== '') out += eol;
  return out;
}

function countBlankLinesFrom(text: string, at: number): number {
  let n = 0;
  let i = at;
  for (;;) {
    const m = /^[ \t\f]*(\r\n|\n|\r)/.exec(text.slice(i, i + 200));
    if (!m) break;
    n++;
    i += m[0].length;
  }
  return n;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Number.isFinite(n) ? n : lo));
}
