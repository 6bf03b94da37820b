import { checkDeliveries, type LogLine, parseLogLines, type SeenRequest } from './webhook-deliveries';

const log: LogLine[] = [
  { position: 11, streamId: 'customer-a', eventId: 'a1' },
  { position: 12, streamId: 'customer-b', eventId: 'b1' },
  { position: 13, streamId: 'customer-a', eventId: 'a2' },
  { position: 14, streamId: 'customer-a', eventId: 'a3' },
];

function request(eventId: string, accepted = true, fields: Partial<SeenRequest> = {}): SeenRequest {
  const line = log.find((l) => l.eventId === eventId) ?? { position: 99, streamId: 'customer-z', eventId };
  return { id: eventId, accepted, verified: true, event: line, ...fields };
}

describe('checkDeliveries', () => {
  it('passes every event accepted once, in log order per stream, retries of refused ones included', () => {
    const requests = [request('b1', false), request('a1'), request('a2'), request('b1'), request('a3')];

    expect(checkDeliveries(requests, log)).toEqual({
      requests: 5,
      accepted: 4,
      delivered: 4,
      duplicates: 0,
      unverified: [],
      mismatchedIds: [],
      foreign: [],
      missing: [],
      outOfOrder: [],
    });
  });

  it('counts repeats of accepted events as duplicates, not as out of order', () => {
    // A restart goes back to the checkpoint: a1 and a2 again after a3.
    const requests = [
      request('a1'),
      request('a2'),
      request('a3'),
      request('a1'),
      request('a2'),
      request('b1'),
    ];

    const check = checkDeliveries(requests, log);

    expect(check).toMatchObject({ accepted: 6, delivered: 4, duplicates: 2, outOfOrder: [], missing: [] });
  });

  it("reports a stream's first deliveries out of log order, and what was never accepted", () => {
    const requests = [request('a2'), request('a1'), request('b1', false)];

    const check = checkDeliveries(requests, log);

    expect(check.outOfOrder).toEqual([{ streamId: 'customer-a', delivered: [13, 11], logged: [11, 13] }]);
    expect(check.missing).toEqual(['b1', 'a3']);
  });

  it("reports unsigned requests, ids that are not the body's event, and events the log does not hold so", () => {
    const requests = [
      request('a1', true, { verified: false }),
      request('a2', true, { event: { eventId: 'a3', streamId: 'customer-a', position: 14 } }),
      request('x1'),
    ];

    const check = checkDeliveries(requests, log);

    expect(check.unverified).toEqual(['a1']);
    expect(check.mismatchedIds).toEqual(['a2']);
    expect(check.foreign).toEqual(['a2', 'x1']);
  });
});

describe('parseLogLines', () => {
  it('reads the NDJSON of GET /events and refuses a line that is not an event', () => {
    const line = { position: 3, streamId: 'customer-a', revision: 1, eventId: 'e', type: 'T', data: {} };

    expect(parseLogLines(`${JSON.stringify(line)}\n\n`)).toEqual([
      { position: 3, streamId: 'customer-a', eventId: 'e' },
    ]);
    expect(() => parseLogLines('{"statusCode":401}\n')).toThrow(/not an event line/);
  });
});
