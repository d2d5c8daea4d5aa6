/**
 * The tokenizer lives in `src/core/python/tokenizer.ts`. This re-export only keeps
 * `src/core/checks/tokens.ts` compiling until the checks move onto `core/python` (they are being
 * changed on another branch); nothing else may import it.
 */
export * from '../python/tokenizer';
