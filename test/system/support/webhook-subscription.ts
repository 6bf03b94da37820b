import { setTimeout as sleep } from 'node:timers/promises';
import { type ReceiverBehaviour, WebhookReceiver } from '@crm/webhooks/testing';
import type { Answer, CrmClient } from '../../../tools/system/crm-client';
import { type LogLine, parseLogLines } from '../../../tools/system/webhook-deliveries';

/** A subscription as the admin routes show it: the figures the test reads. */
export type WebhookState = {
  readonly id: string;
  readonly status: string;
  /** Log position it delivers after (the head when it was created). */
  readonly startAfter: number;
  readonly checkpoint: number;
  readonly lagEvents: number;
  readonly parked: number;
  readonly held: number;
  readonly failingSince: string | null;
  readonly lastError: string | null;
};

function webhookState(what: string, answer: Answer, status: number): WebhookState {
  const body = answer.body;
  if (answer.status !== status || typeof body !== 'object' || body === null)
    throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(body)}`);
  const fields = body as Record<string, unknown>;
  const text = (name: string): string | null => {
    const value = fields[name];
    return typeof value === 'string' ? value : null;
  };
  const count = (name: string): number => {
    const value = fields[name];
    if (typeof value !== 'number') throw new Error(`${what}: no ${name} in ${JSON.stringify(body)}`);
    return value;
  };
  return {
    id: text('id') ?? '',
    status: text('status') ?? '',
    startAfter: count('startAfter'),
    checkpoint: count('checkpoint'),
    lagEvents: count('lagEvents'),
    parked: count('parked'),
    held: count('held'),
    failingSince: text('failingSince'),
    lastError: text('lastError'),
  };
}

/**
 * A webhook subscription made through an API's admin routes, and the
 * receiver it targets: the webhooks' test receiver on 127.0.0.1 (plain http
 * to a loopback host is allowed), which verifies every signature with the
 * secret the creation answered and keeps every request, delivered or not.
 */
export class WebhookSubscription {
  private constructor(
    readonly receiver: WebhookReceiver,
    /** As the creation answered. */
    readonly created: WebhookState,
    private readonly client: CrmClient,
  ) {}

  /**
   * Listens, then subscribes to every event type from the log's head on.
   * Create it before anything is written: the receiver holds the secret
   * only once the creation has answered, so nothing may be delivered before.
   */
  static async create(client: CrmClient, behaviour: ReceiverBehaviour): Promise<WebhookSubscription> {
    const receiver = new WebhookReceiver(behaviour);
    try {
      const port = await receiver.listen();
      const answer = await client.request('POST', '/admin/webhooks', {
        url: `http://127.0.0.1:${port}/hook`,
        description: 'system test receiver',
      });
      const created = webhookState('POST /admin/webhooks', answer, 201);
      const secret = (answer.body as Record<string, unknown>)['secret'];
      if (typeof secret !== 'string' || !secret.startsWith('whsec_'))
        throw new Error(`POST /admin/webhooks answered no secret: ${JSON.stringify(answer.body)}`);
      receiver.secret = secret;
      return new WebhookSubscription(receiver, created, client);
    } catch (error) {
      await receiver.close();
      throw error;
    }
  }

  /** Distinct events the receiver has accepted so far. */
  delivered(): number {
    return new Set(this.receiver.accepted().map((request) => request.id)).size;
  }

  async state(): Promise<WebhookState> {
    const path = `/admin/webhooks/${encodeURIComponent(this.created.id)}`;
    return webhookState(`GET ${path}`, await this.client.get(path), 200);
  }

  /** The events the subscription covers: the log after its startAfter, as GET /events gives it. */
  async coveredLog(): Promise<LogLine[]> {
    const path = `/events?afterPosition=${this.created.startAfter}`;
    const { status, text } = await this.client.requestText('GET', path);
    if (status !== 200) throw new Error(`GET ${path} answered ${status}: ${text.slice(0, 500)}`);
    return parseLogLines(text);
  }

  /**
   * Resolves once the receiver has accepted every event of `log` and the
   * subscription shows nothing parked, held or behind (its checkpoint moves
   * after the receiver's answers, so the two are polled together); fails at
   * the deadline with what was still missing.
   */
  async caughtUp(log: readonly LogLine[], timeoutMs: number): Promise<WebhookState> {
    const deadline = Date.now() + timeoutMs;
    let last: string;
    for (;;) {
      const delivered = new Set(this.receiver.accepted().map((request) => request.id));
      const missing = log.filter((line) => !delivered.has(line.eventId)).length;
      const state = await this.state();
      if (missing === 0 && state.lagEvents === 0 && state.parked === 0 && state.held === 0) return state;
      last = `${missing} of ${log.length} events not delivered; ${JSON.stringify(state)}`;
      if (Date.now() > deadline) break;
      await sleep(250);
    }
    throw new Error(`the webhook subscription did not catch up within ${timeoutMs} ms: ${last}`);
  }

  /**
   * Runs `interrupt` (a SIGKILL of the sender) inside the receiver's handling
   * of the next request, before it answers, and accepts that request: the
   * sender is gone before it sees the delivery acknowledged, so it has to
   * send the event again after its restart. Resolves with that request's id,
   * the events delivered before it, and what `interrupt` resolved to; fails
   * when no request comes within `timeoutMs`.
   */
  async interruptNextRequest<T>(
    interrupt: () => Promise<T>,
    timeoutMs: number,
  ): Promise<{ readonly inFlight: string; readonly deliveredBefore: number; readonly result: T }> {
    const { receiver } = this;
    const usual = receiver.behaviour;
    const caught = new Promise<{ id: string; deliveredBefore: number; result: Promise<T> }>((resolve) => {
      receiver.behaviour = {
        ...usual,
        answer: (request) => {
          receiver.behaviour = usual;
          // Called before the answer is written: the signal is out before the sender can read it.
          resolve({ id: request.id, deliveredBefore: this.delivered(), result: interrupt() });
          return 204;
        },
      };
    });
    const timeout = new AbortController();
    try {
      const hit = await Promise.race([caught, sleep(timeoutMs, null, { signal: timeout.signal })]);
      if (hit === null) throw new Error(`no webhook request came within ${timeoutMs} ms`);
      return { inFlight: hit.id, deliveredBefore: hit.deliveredBefore, result: await hit.result };
    } finally {
      timeout.abort();
      receiver.behaviour = usual;
    }
  }

  close(): Promise<void> {
    return this.receiver.close();
  }
}
