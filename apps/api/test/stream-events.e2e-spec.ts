import { expectError, fieldsOf, recordTouchpoint, registerCustomer, newCustomerId } from './support/api';
import { bearer } from './support/api-keys';
import { TestApp } from './support/test-app';

/** One line of GET /events, as documented in docs/analytics.md. */
type EventLine = {
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly version: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
};

describe('GET /events (replay as NDJSON)', () => {
  let app: TestApp;
  let ada: string;
  let bob: string;

  beforeAll(async () => {
    app = await TestApp.start({ PROJECTIONS: 'off' });
    ada = await registerCustomer(app, newCustomerId('ada'), { email: 'ada@example.com' });
    bob = await registerCustomer(app, newCustomerId('bob'));
    await recordTouchpoint(app, ada, {
      type: 'CallLogged',
      direction: 'inbound',
      durationSeconds: 60,
      outcome: 'connected',
      occurredAt: '2025-01-10T10:00:00Z',
    });
    await recordTouchpoint(app, bob, {
      type: 'PurchaseCompleted',
      orderId: 'o-1',
      amount: 1200,
      currency: 'EUR',
      channel: 'web',
      occurredAt: '2025-02-10T10:00:00Z',
    });
    await recordTouchpoint(app, ada, {
      type: 'SurveyAnswered',
      surveyType: 'nps',
      score: 9,
      occurredAt: '2025-03-10T10:00:00Z',
    });
  });
  afterAll(() => app.stop());

  async function lines(query = ''): Promise<EventLine[]> {
    const response = await app.app.inject({
      method: 'GET',
      url: `/events${query}`,
      headers: bearer(app.apiKey),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson');
    expect(response.body.endsWith('\n') || response.body === '').toBe(true);
    return response.body
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as EventLine);
  }

  it('streams the whole log in position order, one recorded event per line', async () => {
    const all = await lines();
    expect(all.map((line) => line.position)).toEqual([1, 2, 3, 4, 5]);
    expect(all.map((line) => line.type)).toEqual([
      'CustomerRegistered',
      'CustomerRegistered',
      'CallLogged',
      'PurchaseCompleted',
      'SurveyAnswered',
    ]);
    const call = all[2];
    expect(Object.keys(call ?? {})).toEqual([
      'position',
      'streamId',
      'revision',
      'eventId',
      'type',
      'version',
      'occurredAt',
      'recordedAt',
      'data',
      'metadata',
    ]);
    expect(call).toMatchObject({
      streamId: `customer-${ada}`,
      revision: 1,
      version: 1,
      occurredAt: '2025-01-10T10:00:00.000Z',
      data: { direction: 'inbound', durationSeconds: 60, outcome: 'connected' },
      metadata: { source: 'api' },
    });
    expect(Number.isNaN(Date.parse(call?.recordedAt ?? ''))).toBe(false);
  });

  it('filters by event types', async () => {
    const found = await lines('?types=SurveyAnswered,PurchaseCompleted');
    expect(found.map((line) => line.type)).toEqual(['PurchaseCompleted', 'SurveyAnswered']);
  });

  it('filters by customer', async () => {
    const found = await lines(`?customerId=${ada}`);
    expect(found.map((line) => line.revision)).toEqual([0, 1, 2]);
    expect(new Set(found.map((line) => line.streamId))).toEqual(new Set([`customer-${ada}`]));
  });

  it('filters by occurredAt, from inclusive to exclusive', async () => {
    const found = await lines('?occurredFrom=2025-02-10T10:00:00Z&occurredTo=2025-03-10T10:00:00Z');
    expect(found.map((line) => line.type)).toEqual(['PurchaseCompleted']);
  });

  it('filters by position range (after exclusive, to inclusive) and limit', async () => {
    expect((await lines('?afterPosition=2&toPosition=4')).map((line) => line.position)).toEqual([3, 4]);
    expect((await lines('?afterPosition=1&limit=2')).map((line) => line.position)).toEqual([2, 3]);
  });

  it('combines filters', async () => {
    const found = await lines(`?customerId=${ada}&types=SurveyAnswered,CallLogged&afterPosition=3`);
    expect(found.map((line) => line.type)).toEqual(['SurveyAnswered']);
  });

  it('gives an empty body when nothing matches', async () => {
    expect(await lines('?occurredFrom=2030-01-01T00:00:00Z')).toEqual([]);
  });

  it('rejects bad filters with 400 and every field named, before streaming anything', async () => {
    const response = await app.get(
      '/events?types=CallLogged,Teleported&occurredFrom=yesterday&afterPosition=-1&limit=0&customerId=%20x&colour=red',
    );
    const body = expectError(response, 400, 'VALIDATION.FAILED');
    expect(fieldsOf(body).sort()).toEqual(
      ['afterPosition', 'colour', 'customerId', 'limit', 'occurredFrom', 'types'].sort(),
    );
    expect(response.headers['content-type']).toMatch(/application\/json/);
  });

  it('rejects inverted ranges and repeated parameters', async () => {
    expect(
      fieldsOf(
        expectError(
          await app.get('/events?occurredFrom=2025-02-01T00:00:00Z&occurredTo=2025-01-01T00:00:00Z'),
          400,
          'VALIDATION.FAILED',
        ),
      ),
    ).toEqual(['occurredFrom']);
    expect(
      fieldsOf(expectError(await app.get('/events?afterPosition=5&toPosition=2'), 400, 'VALIDATION.FAILED')),
    ).toEqual(['afterPosition']);
    expect(fieldsOf(expectError(await app.get('/events?limit=1&limit=2'), 400, 'VALIDATION.FAILED'))).toEqual(
      ['limit'],
    );
  });
});
