/** One event of the log as GET /events gives it: what the delivery checks need of it. */
export type LogLine = { readonly position: number; readonly streamId: string; readonly eventId: string };

/**
 * One request a webhook receiver saw (the fields of the webhooks' test
 * receiver, ReceivedRequest, that the checks read; declared here because
 * the tools are built and test helpers are not).
 */
export type SeenRequest = {
  /** The webhook-id header. */
  readonly id: string;
  /** Answered 2xx: delivered. */
  readonly accepted: boolean;
  /** The webhook-signature verified with the subscription's secret. */
  readonly verified: boolean;
  readonly event: { readonly eventId: string; readonly streamId: string; readonly position: number };
};

/** The NDJSON of GET /events, one event a line. */
export function parseLogLines(text: string): LogLine[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const { position, streamId, eventId } = JSON.parse(line) as Record<string, unknown>;
      if (typeof position !== 'number' || typeof streamId !== 'string' || typeof eventId !== 'string')
        throw new Error(`not an event line of GET /events: ${line.slice(0, 200)}`);
      return { position, streamId, eventId };
    });
}

/** A stream whose first deliveries are not in log order. */
export type OutOfOrder = {
  readonly streamId: string;
  /** Positions in the order they were first accepted. */
  readonly delivered: readonly number[];
  /** The same events' positions in log order. */
  readonly logged: readonly number[];
};

/** What a receiver saw of one subscription, against the part of the log the subscription covers. */
export type DeliveryCheck = {
  /** Requests, accepted or refused (a refused one is tried again). */
  readonly requests: number;
  readonly accepted: number;
  /** Distinct events accepted. */
  readonly delivered: number;
  /** Accepted requests of an event accepted before: at least once means some, after a kill. */
  readonly duplicates: number;
  /** Ids of requests whose signature did not verify. */
  readonly unverified: readonly string[];
  /** Ids of requests whose webhook-id is not the id of the event in their body. */
  readonly mismatchedIds: readonly string[];
  /** Ids of accepted events that are not the log's event of that id (another stream or position), or not in it. */
  readonly foreign: readonly string[];
  /** Ids of the log's events never accepted. */
  readonly missing: readonly string[];
  readonly outOfOrder: readonly OutOfOrder[];
};

/**
 * Checks at-least-once delivery in order per customer, from the receiver's
 * side: every request signed (and its webhook-id the event's id), every
 * event of `log` accepted, nothing accepted that the log does not hold
 * under that id (so a repeat carries the event first delivered under its
 * id, never another), and per stream the first acceptances of its events
 * in log order; a repeat of an id already accepted does not count for the
 * order (the sender goes back to its checkpoint after a restart).
 * `requests` in the order the receiver took them.
 */
export function checkDeliveries(requests: readonly SeenRequest[], log: readonly LogLine[]): DeliveryCheck {
  const logged = new Map(log.map((line) => [line.eventId, line]));
  const firsts = new Map<string, number[]>();
  const delivered = new Set<string>();
  const foreign = new Set<string>();
  let accepted = 0;
  for (const request of requests) {
    if (!request.accepted) continue;
    accepted++;
    const line = logged.get(request.id);
    const { streamId, position } = request.event;
    if (line === undefined || line.streamId !== streamId || line.position !== position)
      foreign.add(request.id);
    if (delivered.has(request.id)) continue;
    delivered.add(request.id);
    const stream = firsts.get(streamId) ?? [];
    stream.push(position);
    firsts.set(streamId, stream);
  }
  const outOfOrder: OutOfOrder[] = [];
  for (const [streamId, positions] of firsts) {
    const inLog = log
      .filter((line) => line.streamId === streamId && delivered.has(line.eventId))
      .map((line) => line.position);
    if (positions.join() !== inLog.join()) outOfOrder.push({ streamId, delivered: positions, logged: inLog });
  }
  return {
    requests: requests.length,
    accepted,
    delivered: delivered.size,
    duplicates: accepted - delivered.size,
    unverified: requests.filter((r) => !r.verified).map((r) => r.id),
    mismatchedIds: requests.filter((r) => r.event.eventId !== r.id).map((r) => r.id),
    foreign: [...foreign],
    missing: log.filter((line) => !delivered.has(line.eventId)).map((line) => line.eventId),
    outOfOrder,
  };
}
