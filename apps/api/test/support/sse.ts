import { request as httpRequest, type IncomingMessage } from 'node:http';

/** One parsed Server-Sent Events frame: id/event/data, or a comment. */
export type Frame = {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
  readonly comment?: string;
};

/** An open GET /events/stream: its frames as they arrive, and a way to hang up. */
export type Feed = {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  next(timeoutMs?: number): Promise<Frame>;
  close(): void;
};

export function openFeed(port: number, path: string, headers: Record<string, string>): Promise<Feed> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, headers }, (response) => {
      const frames: Frame[] = [];
      const waiting: ((frame: Frame | Error) => void)[] = [];
      let buffer = '';
      const push = (frame: Frame) => {
        const waiter = waiting.shift();
        if (waiter) waiter(frame);
        else frames.push(frame);
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) frame.comment = line.slice(1).trim();
            else {
              const colon = line.indexOf(':');
              frame[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
            }
          }
          push(frame);
        }
      });
      response.on('error', () => undefined);
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        next: (timeoutMs = 5000) =>
          new Promise<Frame>((resolveFrame, rejectFrame) => {
            const ready = frames.shift();
            if (ready) return resolveFrame(ready);
            const timer = setTimeout(
              () => rejectFrame(new Error(`no frame within ${timeoutMs} ms`)),
              timeoutMs,
            );
            waiting.push((frame) => {
              clearTimeout(timer);
              if (frame instanceof Error) rejectFrame(frame);
              else resolveFrame(frame);
            });
          }),
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
    request.end();
  });
}

/** The next frame that carries an event (skipping retry, comments and heartbeats). */
export async function nextEvent(feed: Feed): Promise<Frame> {
  for (;;) {
    const frame = await feed.next();
    if (frame.id !== undefined || frame.event !== undefined) return frame;
  }
}
