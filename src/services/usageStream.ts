/**
 * Batches the hits of a running "find usages" for the webview: at most one message per interval
 * (each is a postMessage), and always one when the scan ends, so the list fills in as files are
 * scanned without flooding the webview on a large workspace.
 */
import type { UsageHit } from '../protocol';

export type UsageStreamSink = (hits: UsageHit[], filesDone: number, filesTotal: number) => void;

export class UsageStream {
  private pending: UsageHit[] = [];
  private filesDone = 0;
  private filesTotal = 0;
  private last = Number.NEGATIVE_INFINITY;
  private sentDone = -1;

  constructor(private readonly sink: UsageStreamSink, private readonly intervalMs = 100, private readonly now: () => number = () => performance.now()) {}

  add(hits: readonly UsageHit[]): void {
    this.pending.push(...hits);
    this.maybeSend();
  }

  progress(done: number, total: number): void {
    this.filesDone = done;
    this.filesTotal = total;
    this.maybeSend();
  }

  /** Sends what is pending now (the scan ended). */
  flush(): void {
    if (this.pending.length || this.sentDone !== this.filesDone) this.send();
  }

  private maybeSend(): void {
    if (this.now() - this.last >= this.intervalMs) this.send();
  }

  private send(): void {
    const hits = this.pending;
    this.pending = [];
    this.last = this.now();
    this.sentDone = this.filesDone;
    this.sink(hits, this.filesDone, this.filesTotal);
  }
}
