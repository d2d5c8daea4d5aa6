/**
 * lm-logits-unshifted: causal-LM cross-entropy of a model's logits against the very tokens fed to
 * the model, neither side shifted. The labels and the model's input are followed back through
 * aliases, parameters (to their first call site) and model calls to where each was made.
 */
import { TK_DOT, TK_LPAR, TK_NAME, TK_RPAR, TK_RSQB } from '../python/tokenizer';
import { CE, clip, type CheckRun } from './context';
import type { Ref } from './flow';
import type { FileModel, Scope } from './model';
import type { TokenView } from './tokens';
import type { QuickFix } from './types';
import { span } from './values';

/** Causal-LM cross-entropy of a model's logits against the very tokens fed to it, neither shifted. */
export function lmUnshifted(run: CheckRun): void {
  for (const app of run.applications) {
    if (!CE.has(app.usage.qualifiedName)) continue;
    const args = run.tv.args(app.open)?.args ?? [];
    const positional = args.filter((a) => !a.name);
    const input = args.find((a) => a.name === 'input') ?? positional[0];
    const target = args.find((a) => a.name === 'target') ?? positional[1];
    if (!input || !target) continue;
    const inRef = run.refOf(input.valueStart, input.end);
    const tgRef = run.refOf(target.valueStart, target.end);
    if (!inRef || !tgRef) continue;
    const inBase = stripReshape(run.tv, inRef.first, inRef.last);
    const tgBase = stripReshape(run.tv, tgRef.first, tgRef.last);
    // Only sequence logits that are flattened or transposed for the loss, and plain names.
    if (!inBase.reshaped || inBase.first !== inBase.last || tgBase.first !== tgBase.last) continue;
    if (run.tv.kind(inBase.first) !== TK_NAME || run.tv.kind(tgBase.first) !== TK_NAME) continue;
    const logits = aliasRoot(run, span(inRef, inBase.first, inBase.last), 0);
    const labels = aliasRoot(run, span(tgRef, tgBase.first, tgBase.last), 0);
    if (!logits?.call || !labels || logits.call.input.key !== labels.key) continue;
    // Models that reconstruct their input on purpose (autoencoders, masked/denoising encoders).
    if (reconstructs(run, logits.call.callee)) continue;
    const callee = run.calleeRange(app);
    const fixes: QuickFix[] = [];
    const inView = viewCall(run.tv, inRef.first, inRef.last);
    const tgView = viewCall(run.tv, tgRef.first, tgRef.last);
    if (inView && tgView) {
      fixes.push({
        title: 'Shift: logits[..., :-1, :] against labels[..., 1:]', preferred: true,
        edits: [
          { start: run.tv.end(inRef.first), end: run.tv.end(inView), newText: '[..., :-1, :].reshape' },
          { start: run.tv.end(tgRef.first), end: run.tv.end(tgView), newText: '[..., 1:].reshape' },
        ],
      });
    }
    const lbl = run.tv.str(tgBase.first);
    run.add('lm-logits-unshifted', callee.start, callee.end, app.usage.conceptId,
      `The targets \`${lbl}\` are the tokens the model was given (\`${clip(logits.call.text)}\` on ${run.lineText(logits.call.line, logits.call.file)}) and neither side is shifted: the logits at position t are trained to predict token t, which the model already sees, so it learns to copy its input and the loss falls fast while meaning nothing. Compare logits[..., :-1, :] with labels[..., 1:] (Hugging Face transformers, ForCausalLMLoss: "Shift so that tokens < n predict n").`,
      fixes);
  }
}

/** True when the called model is named like one that reconstructs its input (encoder, VAE, BERT, MLM, denoising). */
function reconstructs(run: CheckRun, callee: Ref): boolean {
  const RECONSTRUCTS = /auto_?encoder|encoder|vae|bert|mlm|masked|denois|reconstruct/i;
  if (RECONSTRUCTS.test(callee.file.textOf(callee.first, callee.last))) return true;
  const v = run.flow.evaluate(callee);
  const cls = v?.t === 'instance' || v?.t === 'class' ? v.cls : v?.t === 'function' ? v.self : undefined;
  return cls !== undefined && RECONSTRUCTS.test(cls.name);
}

/**
 * Follows a name back through plain aliases (`y = x`, `y = x.clone()`), parameters (to the first
 * call site) and model calls (`logits = model(x)`, `model(x).logits`, `model(x)[0]`): a key naming
 * where the tensor was made, and for model outputs the key of the model's input.
 */
function aliasRoot(run: CheckRun, ref: Ref, depth: number): { key: string; call?: { input: { key: string }; text: string; line: number; file: FileModel; callee: Ref } } | undefined {
  if (depth > 12) return undefined;
  const file = ref.file;
  const tv = file.tv;
  let { first, last } = ref;
  // Strip .logits / [0] / passthrough methods.
  for (;;) {
    if (tv.kind(last) === TK_NAME && tv.kind(last - 1) === TK_DOT && last - 2 >= first && ['logits', 'data'].includes(tv.str(last))) {
      last -= 2;
      continue;
    }
    if (tv.kind(last) === TK_RSQB) {
      const open = tv.matching(tv.openOf(last, first));
      const o = tv.openOf(last, first);
      if (open === last && o > first && o + 2 === last && tv.intValue(o + 1) === 0) {
        last = o - 1;
        continue;
      }
      break;
    }
    if (tv.kind(last) === TK_RPAR) {
      const o = tv.openOf(last, first);
      if (o > first + 1 && tv.kind(o - 2) === TK_DOT && ['clone', 'detach', 'to', 'cuda', 'cpu', 'long', 'contiguous'].includes(tv.str(o - 1))) {
        last = o - 3;
        continue;
      }
      // A model call: its first positional argument (or input_ids=/idx=/x=).
      if (o > first) {
        const call = tv.args(o);
        const arg = call?.args.find((a) => a.name === 'input_ids' || a.name === 'idx') ?? call?.args.filter((a) => !a.name)[0];
        const range = arg ? tv.range(arg.valueStart, arg.end) : undefined;
        if (!range) return undefined;
        const input = aliasRoot(run, span(ref, range[0], range[1]), depth + 1);
        return input ? { key: `call@${file.path}:${o}`, call: { input, text: file.textOf(first, last), line: file.lineOf(tv.start(first)), file, callee: span(ref, first, o - 1) } } : undefined;
      }
    }
    break;
  }
  if (first !== last || tv.kind(first) !== TK_NAME) return { key: `expr@${file.path}:${first}-${last}` };
  const name = tv.str(first);
  const bound = ref.env?.get(name);
  if (bound) return aliasRoot(run, bound, depth + 1);
  for (let s: Scope | undefined = ref.scope; s; s = s.parent) {
    if (s.kind === 'class') continue;
    const a = file.lastAssignment(s, name, s === ref.scope ? first : Number.MAX_SAFE_INTEGER, true)?.assignment;
    if (a) return aliasRoot(run, { file, scope: a.stmt.scope, first: a.rhsFirst, last: a.rhsLast, env: undefined }, depth + 1);
    if (s.kind === 'def' && s.params.includes(name)) {
      const cls = s.parent?.kind === 'class' ? s.parent : undefined;
      const site = file.callSitesOf(s.name, cls)[0];
      if (site === undefined) return { key: `param@${file.path}:${s.first}:${name}` };
      const call = tv.args(site + 1);
      const offset = cls && s.params[0] === 'self' ? 1 : 0;
      const pos = s.params.indexOf(name) - offset;
      const arg = call?.args.find((x) => x.name === name) ?? call?.args.filter((x) => !x.name)[pos];
      const range = arg ? tv.range(arg.valueStart, arg.end) : undefined;
      if (!range) return { key: `param@${file.path}:${s.first}:${name}` };
      return aliasRoot(run, { file, scope: file.scopeAt(site), first: range[0], last: range[1], env: undefined }, depth + 1);
    }
  }
  return { key: `global@${file.path}:${name}` };
}

const RESHAPES = new Set(['view', 'reshape', 'flatten', 'contiguous', 'transpose', 'permute', 'float', 'long']);

/** Strips trailing `.view(…)`/`.reshape(…)`/`.flatten()`/`.transpose(…)` calls: the base tokens and whether any was a reshape. */
function stripReshape(tv: TokenView, first: number, last: number): { first: number; last: number; reshaped: boolean } {
  let reshaped = false;
  while (tv.kind(last) === TK_RPAR) {
    const o = tv.openOf(last, first);
    if (o < first + 2 || tv.kind(o - 2) !== TK_DOT || !RESHAPES.has(tv.str(o - 1))) break;
    if (['view', 'reshape', 'flatten', 'transpose', 'permute'].includes(tv.str(o - 1))) reshaped = true;
    last = o - 3;
  }
  return { first, last, reshaped };
}

/** For `NAME.view(…)`/`NAME.reshape(…)`: the token index of `view`/`reshape`. */
function viewCall(tv: TokenView, first: number, last: number): number | undefined {
  if (tv.kind(first) !== TK_NAME || tv.kind(first + 1) !== TK_DOT || !['view', 'reshape'].includes(tv.str(first + 2)) || tv.kind(first + 3) !== TK_LPAR) return undefined;
  return tv.matching(first + 3) === last ? first + 2 : undefined;
}
