/**
 * The webview's side of the protocol: the VS Code API handle, requests that resolve with their
 * reply, notifications, and persisted UI state.
 */
import type {
  ErrorReply, HostMessage, HostReply, PaperReply, PaperRequest, SearchReply, SearchRequest, UsagesReply, UsagesRequest,
  WebviewNotification, WebviewRequest,
} from '../protocol';
import { isHostMessage, isReply } from '../protocol';

interface VsCodeApi<S> {
  postMessage(message: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

type Unsent<R extends WebviewRequest> = Omit<R, 'id'>;

export class HostClient<S> {
  private readonly api: VsCodeApi<S> = acquireVsCodeApi<S>();
  private nextId = 1;
  private readonly pending = new Map<number, (reply: HostReply) => void>();

  constructor(private readonly onNotification: (message: Exclude<HostMessage, HostReply>) => void) {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      const message = event.data;
      if (!isHostMessage(message)) return;
      if (isReply(message)) {
        const resolve = this.pending.get(message.id);
        this.pending.delete(message.id);
        resolve?.(message);
      } else {
        this.onNotification(message);
      }
    });
  }

  request(message: Unsent<SearchRequest>): Promise<SearchReply | ErrorReply>;
  request(message: Unsent<PaperRequest>): Promise<PaperReply | ErrorReply>;
  request(message: Unsent<UsagesRequest>): Promise<UsagesReply | ErrorReply>;
  request(message: Unsent<WebviewRequest>): Promise<HostReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.api.postMessage({ ...message, id });
    });
  }

  /** A request whose id the caller needs (to match the notifications that stream its progress). */
  start(message: Unsent<UsagesRequest>): { id: number; reply: Promise<UsagesReply | ErrorReply> } {
    const id = this.nextId++;
    const reply = new Promise<UsagesReply | ErrorReply>((resolve) => {
      this.pending.set(id, resolve as (reply: HostReply) => void);
      this.api.postMessage({ ...message, id });
    });
    return { id, reply };
  }

  notify(message: WebviewNotification): void {
    this.api.postMessage(message);
  }

  get state(): S | undefined {
    return this.api.getState();
  }

  set state(value: S) {
    this.api.setState(value);
  }
}
