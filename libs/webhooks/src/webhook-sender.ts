import { sign } from './webhook-signature';

/** What one attempt came to. */
export type AttemptOutcome =
  | { readonly ok: true; readonly statusCode: number }
  | { readonly ok: false; readonly statusCode: number | null; readonly error: string };

/** One POST of one event to one target. */
export type WebhookRequest = {
  readonly url: string;
  readonly secret: string;
  /** `webhook-id`: the event's id, the same on every attempt, for the receiver's dedupe. */
  readonly id: string;
  /** The event as JSON. */
  readonly body: string;
  readonly timeoutMs: number;
  /** Whole seconds since the epoch. */
  readonly now: () => number;
};

/** At most this much of a response body is read (for the error message); the rest is dropped. */
export const RESPONSE_BODY_CAP = 64 * 1024;
/** What an error message keeps of a response body. */
const ERROR_BODY_CHARS = 200;

/**
 * Sends one attempt: a 2xx answer is a delivery; anything else, a redirect
 * (never followed: the target is the URL registered, nothing else), a
 * refused connection or no answer within `timeoutMs`, is a failure with its
 * reason. The response body is read up to RESPONSE_BODY_CAP, so a target
 * cannot make us hold a large or endless body.
 */
export async function attempt(request: WebhookRequest): Promise<AttemptOutcome> {
  const timestamp = Math.floor(request.now());
  const signal = AbortSignal.timeout(request.timeoutMs);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      redirect: 'manual',
      signal,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'event-sourced-crm-webhooks/1',
        'webhook-id': request.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': sign(request.secret, request.id, timestamp, request.body),
      },
      body: request.body,
    });
  } catch (error) {
    return { ok: false, statusCode: null, error: reasonOf(error, request.timeoutMs) };
  }
  let body: string;
  try {
    body = await cappedText(response, signal);
  } catch (error) {
    return { ok: false, statusCode: response.status, error: reasonOf(error, request.timeoutMs) };
  }
  if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status };
  const location = response.headers.get('location');
  const what =
    response.status >= 300 && response.status < 400
      ? `redirect to ${location ?? '(no location)'} not followed`
      : body.slice(0, ERROR_BODY_CHARS).trim();
  return {
    ok: false,
    statusCode: response.status,
    error: `HTTP ${response.status}${what ? `: ${what}` : ''}`,
  };
}

async function cappedText(response: Response, signal: AbortSignal): Promise<string> {
  if (response.body === null) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_BODY_CAP) {
      if (signal.aborted) throw signal.reason;
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_BODY_CAP).toString('utf8');
}

/** Read by property, not `instanceof`: fetch's errors come from another realm in some hosts (jest's VM). */
function reasonOf(error: unknown, timeoutMs: number): string {
  const name = field(error, 'name');
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const message = field(error, 'message') ?? String(error);
  const cause =
    typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  const because = field(cause, 'code') ?? field(cause, 'message');
  return because === undefined ? message : `${message}: ${because}`;
}

function field(value: unknown, name: 'name' | 'message' | 'code'): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found: unknown = (value as Record<string, unknown>)[name];
  return typeof found === 'string' && found !== '' ? found : undefined;
}
