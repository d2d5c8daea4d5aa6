/**
 * The loss detector: Python source in, every place that names a known loss out.
 *
 * Design. The source is tokenized once (`tokenizer.ts`; why a tokenizer and not tree-sitter is
 * explained there), then passes run over the token arrays:
 *  1. scope: import bindings (`import torch.nn.functional as F`, `from torch import nn`,
 *     `from x import (a, b as c)`, relative and star imports), module aliases by plain assignment
 *     (`nn = torch.nn`), definitions (`def focal_loss`, `class DiceLoss`) and inline hand-written
 *     definitions (`z_loss = coef * lse.pow(2).mean()`);
 *  2. function scopes, from indentation: each function's own variables (assigned, parameters,
 *     `for`/`as`/`:=` targets, minus `global`), which shadow imports of the same name;
 *  3. references: every name that is not an attribute (`x.name`), a keyword argument, a parameter,
 *     an assignment target or a function-local variable starts a dotted chain
 *     (`tf.keras.losses.BinaryCrossentropy`); its head is resolved through the bindings and the
 *     longest prefix looked up in the `LossIndex`. A hit becomes a `LossUsage`, with the call's
 *     arguments when it is called; a keyword argument named after a concept (`label_smoothing=`)
 *     becomes a usage of that concept too.
 * Module scope is flow-insensitive (an import anywhere in the file counts, as it would by the time
 * a function body runs) and cumulative across notebook cells. A name that no import resolves never
 * lights up, except hand-written losses defined in the source (or earlier cells) or imported from
 * the user's own modules. Strings (all forms) and comments are single tokens or skipped entirely,
 * so words in them can never match; f-string replacement fields are not scanned.
 *
 * The passes live in their own files, each extending the previous one: `scanUsages.ts` (state, and
 * the usages it records with their calls, `calls.ts`), `scanBindings.ts` (pass 1), `scanFunctions.ts`
 * (function scopes), `scanReferences.ts` (pass 2 and strings); `sourceScan.ts` holds the result and
 * the scope; `notebook.ts` scans notebooks cell by cell; `project.ts` looks up names imported from
 * the project's other files. This module is the entry point.
 *
 * Positions: 0-based UTF-16 offsets (what VS Code and JS strings use) plus 1-based line and column
 * in UTF-16 code units; `\r\n`, `\r` and `\n` all end a line. Everything is linear in the source
 * length; argument scanning of a call stops after a bounded number of tokens so that unterminated
 * calls cannot make it quadratic.
 */
export { scanSource } from './scanSource';
export { ScanScope, SourceScan, type ScanOptions, type ScanWork } from './sourceScan';
export { isForeignCellMagic, scanNotebook, type NotebookScan } from './notebook';
export { ProjectLosses, type ProjectExport, type ProjectFileReader, type ProjectImports } from './project';
