import { Pool } from 'undici';
import { round, runBounded, summarise, type LatencySummary } from './stats';

/** An HTTP answer; status 0 when none came (connection refused or reset, or the client's timeout). */
export type Answer = { readonly status: number; readonly body: string };

/** The first answer of a loop that was not 2xx, its body cut to 1,000 characters. */
export type FirstError = { readonly status: number; readonly body: string } | null;

/**
 * A timed loop of requests. The latencies are those of the 2xx answers: a
 * fast 400 or a refused connection must not pass for a fast read, so
 * failures are counted (`non2xx`, with the first one's body) rather than
 * timed.
 */
export type LoopResult = LatencySummary & {
  readonly requests: number;
  readonly non2xx: number;
  readonly firstError: FirstError;
  readonly seconds: number;
  /** What ended the loop: its count, its time budget, or the measurement it ran beside. */
  readonly stoppedBy: 'count' | 'time' | 'stop';
};

/** How far a loop may go: whichever of the count, the time budget or `stop` comes first. */
export type LoopBounds = {
  readonly requests: number;
  readonly concurrency: number;
  readonly seconds: number;
  readonly stop?: () => boolean;
};

const MAX_ERROR_BODY = 1000;

/** Keep-alive HTTP to the API on loopback with its key; every request bounded by `timeoutMs`. */
export class BenchClient {
  private readonly pool: Pool;

  constructor(
    origin: string,
    private readonly auth: Record<string, string>,
    connections: number,
    private readonly timeoutMs: number,
  ) {
    // The API closes a connection idle for 72 s, but while a long read blocks its event loop that
    // timer fires before it reads a request already sent on the connection, which is then reset.
    // Reusing only connections idle under 10 s keeps this race out of the figures.
    this.pool = new Pool(origin, { connections, pipelining: 1, keepAliveMaxTimeout: 10_000 });
  }

  get(path: string): Promise<Answer> {
    return this.send('GET', path);
  }

  post(path: string, body: unknown): Promise<Answer> {
    return this.send('POST', path, JSON.stringify(body));
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async send(method: 'GET' | 'POST', path: string, body?: string): Promise<Answer> {
    try {
      const response = await this.pool.request({
        method,
        path,
        headers: body === undefined ? this.auth : { ...this.auth, 'content-type': 'application/json' },
        body,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      // The whole body is read either way: an answer is not served until it is.
      const text = await response.body.text();
      return { status: response.statusCode, body: isSuccess(response.statusCode) ? '' : text };
    } catch (error) {
      return { status: 0, body: `no answer: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Runs `send` within `bounds` and times it: see LoopResult. */
export async function timeLoop(
  send: (index: number) => Promise<Answer>,
  bounds: LoopBounds,
): Promise<LoopResult> {
  const deadline = performance.now() + bounds.seconds * 1000;
  const timedOut = (): boolean => performance.now() >= deadline;
  const successMs: number[] = [];
  let requests = 0;
  let non2xx = 0;
  let firstError: FirstError = null;
  const { elapsedMs } = await runBounded(
    bounds.requests,
    bounds.concurrency,
    () => timedOut() || (bounds.stop?.() ?? false),
    async (index) => {
      const begin = performance.now();
      const answer = await send(index);
      requests++;
      if (isSuccess(answer.status)) {
        successMs.push(performance.now() - begin);
        return;
      }
      non2xx++;
      firstError ??= { status: answer.status, body: answer.body.slice(0, MAX_ERROR_BODY) };
    },
  );
  return {
    requests,
    ...summarise(successMs),
    non2xx,
    firstError,
    seconds: round(elapsedMs / 1000, 1),
    stoppedBy: requests === bounds.requests ? 'count' : timedOut() ? 'time' : 'stop',
  };
}
