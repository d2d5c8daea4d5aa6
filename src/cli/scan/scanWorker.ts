/**
 * A worker thread of {@link scanFilesInParallel}: sets up the detector and checks once from its
 * `workerData` (a FileScannerSetup), then reads and scans each batch of files it is sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createFileScanner, type FileScannerSetup } from './fileScanner';
import { readAndScan, type FromWorker, type ToWorker } from './parallelScan';

const port = parentPort;
if (port) {
  let scan: ReturnType<typeof createFileScanner> | undefined;
  try {
    scan = createFileScanner(workerData as FileScannerSetup);
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
    void Promise.all(message.batch.map(async ({ index, file }) => ({ index, result: await readAndScan(run, file) })))
      .then((results) => port.postMessage({ results } satisfies FromWorker));
  });
}
