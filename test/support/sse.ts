/** A minimal Server-Sent Events client for tests: collects `event`/`data` messages. */
import { type ClientRequest, request } from 'node:http';

export interface SseMessage {
  event: string;
  data: string;
  at: number;
}

export interface SseStream {
  messages: SseMessage[];
  status: Promise<number>;
  /** Resolves when the server ends the stream (or the connection fails). */
  ended: Promise<void>;
  /**
   * Resolves with the first message not yet returned by `next` that satisfies `pred` (already
   * received or still to come), or rejects after `ms`.
   */
  next(pred: (m: SseMessage) => boolean, ms?: number): Promise<SseMessage>;
  close(): void;
}

export const openSse = (url: string, headers: Record<string, string> = {}): SseStream => {
  const messages: SseMessage[] = [];
  const returned = new Set<SseMessage>();
  const waiters: { pred: (m: SseMessage) => boolean; resolve: (m: SseMessage) => void }[] = [];
  let req: ClientRequest | undefined;
  let onEnd = () => {};
  const ended = new Promise<void>((resolve) => {
    onEnd = resolve;
  });
  const status = new Promise<number>((resolve, reject) => {
    req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      resolve(res.statusCode ?? 0);
      let buf = '';
      res.setEncoding('utf8');
      res.on('end', onEnd);
      res.on('close', onEnd);
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i = buf.indexOf('\n\n');
        while (i >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const m: SseMessage = { event: 'message', data: '', at: Date.now() };
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) m.event = line.slice(7);
            else if (line.startsWith('data: ')) m.data += line.slice(6);
          }
          if (m.data || m.event !== 'message') {
            messages.push(m);
            const w = waiters.find((x) => x.pred(m));
            if (w) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(m);
            }
          }
          i = buf.indexOf('\n\n');
        }
      });
    });
    req.on('error', (e) => {
      onEnd();
      reject(e);
    });
    req.end();
  });
  return {
    messages,
    status,
    ended,
    next: (pred, ms = 5000) =>
      new Promise((resolve, reject) => {
        const have = messages.find((m) => !returned.has(m) && pred(m));
        if (have) {
          returned.add(have);
          resolve(have);
          return;
        }
        const timer = setTimeout(() => reject(new Error(`no matching event within ${ms} ms`)), ms);
        waiters.push({
          pred,
          resolve: (m) => {
            clearTimeout(timer);
            returned.add(m);
            resolve(m);
          },
        });
      }),
    close: () => req?.destroy(),
  };
};
