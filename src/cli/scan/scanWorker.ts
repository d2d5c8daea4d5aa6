/**
 * A worker thread of {@link scanFilesInParallel}: sets up the detector, the checks and the scan's
 * Python files once from its `workerData` (a TreeScanSetup, src/services/treeScan.ts), then reads
 * and scans each batch of files it is sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createTreeScanner, readAndScan, type TreeScanner, type TreeScanSetup } from '../../services/treeScan';
import type { FromWorker, ToWorker } from './parallelScan';

const port = parentPort;
if (port) {
  let scan: TreeScanner | undefined;
  try {
    scan = createTreeScanner(workerData as TreeScanSetup);
    port.postMessage({ ready: true } satisfies FromWorker);
  } catch (err) {
    port.postMessage({ failed: err instanceof Error ? err.message : String(err) } satisfies FromWorker);
  }
  port.on('message', (message: ToWorker) => {
    if ('stop' in message || !scan) {
      port.close();
      return;
    }
    const run = scan;
    port.postMessage({ results: message.batch.map(({ index, file }) => ({ index, result: readAndScan(run, file) })) } satisfies FromWorker);
  });
}
