/**
 * Moved to src/services/corpusWorkerClient.ts (with its worker, src/services/userCorpusWorker.ts):
 * neither uses the VS Code API. This forwarding module keeps src/editor/userCorpus.ts and
 * bench/bibtex.ts, which other branches are changing, compiling until they land; new code imports
 * the services module.
 */
export { CorpusWorkerClient, type ParseOutcome, type ParseRequest } from '../services/corpusWorkerClient';
