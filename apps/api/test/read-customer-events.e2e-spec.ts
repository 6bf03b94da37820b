import {
  customerPath,
  type ErrorResponseBody,
  type EventsBody,
  expectError,
  fieldsOf,
  newCustomerId,
  type RecordedBody,
  recordTouchpoint,
  registerCustomer,
  type StoredEventBody,
} from './support/api';
import { TestApp } from './support/test-app';
import { meeting } from './support/touchpoints';

describe('GET /customers/:customerId/events', () => {
  let app: TestApp;
  let customerId: string;
  let recorded: RecordedBody[];

  beforeAll(async () => {
    app = await TestApp.start();
    customerId = await registerCustomer(app);
    recorded = [];
    for (let minutes = 1; minutes <= 4; minutes++) {
      recorded.push(await recordTouchpoint(app, customerId, meeting({ durationMinutes: minutes })));
    }
  });

  afterAll(async () => {
    await app.stop();
  });

  const read = (query = '', id = customerId) => app.get<EventsBody>(customerPath(id, `/events${query}`));

  it('returns the whole stream in revision order with its ids, revisions and positions', async () => {
    const response = await read();

    expect(response.statusCode).toBe(200);
    expect(response.body).toMatchObject({
      customerId,
      streamId: `customer-${customerId}`,
      streamRevision: 4,
      nextRevision: null,
    });
    const events = response.body.events;
    expect(events.map((event) => [event.type, event.streamRevision])).toEqual([
      ['CustomerRegistered', 0],
      ['MeetingHeld', 1],
      ['MeetingHeld', 2],
      ['MeetingHeld', 3],
      ['MeetingHeld', 4],
    ]);
    expect(events.slice(1).map((event) => [event.eventId, event.globalPosition])).toEqual(
      recorded.map((ref) => [ref.eventId, ref.globalPosition]),
    );
    expect(events.slice(1).map((event) => event.data)).toEqual(
      [1, 2, 3, 4].map((durationMinutes) => ({ durationMinutes })),
    );
  });

  it('pages with limit and fromRevision, nextRevision pointing at the next page until the last', async () => {
    const pages: EventsBody[] = [];
    let from: number | null = 0;
    while (from !== null) {
      const response = await read(`?fromRevision=${from}&limit=2`);
      expect(response.statusCode).toBe(200);
      pages.push(response.body);
      from = response.body.nextRevision;
    }

    expect(pages.map((page) => page.events.map((event) => event.streamRevision))).toEqual([
      [0, 1],
      [2, 3],
      [4],
    ]);
    expect(pages.map((page) => page.nextRevision)).toEqual([2, 4, null]);
    expect(pages.every((page) => page.streamRevision === 4)).toBe(true);
    const whole = await read();
    expect(pages.flatMap((page) => page.events)).toEqual<StoredEventBody[]>([...whole.body.events]);
  });

  it('returns no events and no next page when fromRevision is past the end', async () => {
    const response = await read('?fromRevision=5');

    expect(response.statusCode).toBe(200);
    expect(response.body).toMatchObject({ streamRevision: 4, events: [], nextRevision: null });
  });

  it('accepts the page size bounds 1 and 1000', async () => {
    expect((await read('?limit=1')).body.events).toHaveLength(1);
    expect((await read('?limit=1000')).body.events).toHaveLength(5);
  });

  it.each([
    ['limit', '?limit=0'],
    ['limit', '?limit=1001'],
    ['limit', '?limit=abc'],
    ['limit', '?limit=-1'],
    ['fromRevision', '?fromRevision=-1'],
    ['fromRevision', '?fromRevision=1.5'],
    ['fromRevision', '?fromRevision=1e3'],
  ])('rejects an invalid %s (%s) with 400 naming it', async (field, query) => {
    const response = await read(query);

    expect(fieldsOf(expectError(response, 400, 'VALIDATION.FAILED'))).toEqual([field]);
  });

  it('answers 404 CUSTOMER.NOT_FOUND for a customer never registered', async () => {
    const response = await read('', newCustomerId('ghost'));

    expectError(response, 404, 'CUSTOMER.NOT_FOUND');
  });

  it('answers 400 for a customerId outside the safe alphabet', async () => {
    const response = await app.get<ErrorResponseBody>('/customers/bad%20id/events');

    expect(fieldsOf(expectError(response, 400, 'VALIDATION.FAILED'))).toEqual(['customerId']);
  });
});
