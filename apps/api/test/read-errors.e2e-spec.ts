import { customerPath, expectError, fieldsOf, recordTouchpoint } from './support/api';
import { purchase, registerAt, segmentPage } from './support/read-models';
import { TestApp } from './support/test-app';

jest.setTimeout(30_000);

const READ_WAIT_MS = 1000;
const KNOWN = 'err-known';
const UNKNOWN = 'err-nobody';
const RANGE = 'from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z';

describe('read routes: errors', () => {
  let app: TestApp;
  let position: number;

  beforeAll(async () => {
    app = await TestApp.start({ READ_WAIT_MS: String(READ_WAIT_MS) });
    await registerAt(app, KNOWN, '2025-01-01T00:00:00Z');
    await registerAt(app, 'err-other', '2025-01-02T00:00:00Z');
    position = (await recordTouchpoint(app, KNOWN, purchase('o-1', 100, '2025-01-05T00:00:00Z')))
      .globalPosition;
  });

  afterAll(async () => {
    await app.stop();
  });

  const journey = (query: string, id = KNOWN) => customerPath(id, `/journey?${query}`);
  const scores = (query: string, id = KNOWN) => customerPath(id, `/scores?${query}`);

  describe('400 VALIDATION.FAILED naming the field', () => {
    it.each([
      // asOf: an ISO-8601 instant with an offset.
      [journey('asOf=yesterday'), 'asOf'],
      [journey('asOf=2025-01-01'), 'asOf'],
      [journey('asOf=2025-01-01T00:00:00'), 'asOf'],
      [journey('asOf=2025-13-01T00:00:00Z'), 'asOf'],
      [journey('asOf=2025-01-01T25:00:00Z'), 'asOf'],
      [scores('asOf=soon'), 'asOf'],
      [scores('asOf=1735689600'), 'asOf'],
      ['/customers?asOf=2025-01-01T00:00:00', 'asOf'],
      // limit: an integer from 1 to the route's maximum.
      [journey('limit=0'), 'limit'],
      [journey('limit=-1'), 'limit'],
      [journey('limit=501'), 'limit'],
      [journey('limit=1.5'), 'limit'],
      [journey('limit=ten'), 'limit'],
      ['/customers?limit=0', 'limit'],
      ['/customers?limit=1001', 'limit'],
      ['/customers?limit=2e2', 'limit'],
      // segment filters and sort.
      ['/customers?valueTier=gold', 'valueTier'],
      ['/customers?valueTier=MVC', 'valueTier'],
      ['/customers?stage=churned', 'stage'],
      ['/customers?stage=Loyalty', 'stage'],
      ['/customers?sort=name', 'sort'],
      ['/customers?sort=%2BnetRevenue', 'sort'],
      ['/customers?sort=-netrevenue', 'sort'],
      // minPosition: a non-negative integer.
      [journey('minPosition=-1'), 'minPosition'],
      [journey('minPosition=abc'), 'minPosition'],
      [scores('minPosition=1.5'), 'minPosition'],
      ['/customers?minPosition=1e3', 'minPosition'],
      ['/customers?minPosition=%2B5', 'minPosition'],
      [`/kpis?${RANGE}&minPosition=0x10`, 'minPosition'],
      [`/kpis?${RANGE}&minPosition=1234567890123456`, 'minPosition'],
      // KPI range and granularity.
      ['/kpis?to=2025-02-01T00:00:00Z', 'from'],
      ['/kpis?from=2025-01-01T00:00:00Z', 'to'],
      ['/kpis?from=&to=2025-02-01T00:00:00Z', 'from'],
      ['/kpis?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z', 'from'],
      [`/kpis?${RANGE}&granularity=year`, 'granularity'],
      [`/kpis?${RANGE}&granularity=Day`, 'granularity'],
    ])('GET %s → names %s', async (url, field) => {
      const body = expectError(await app.get(url), 400, 'VALIDATION.FAILED');

      expect(fieldsOf(body)).toEqual([field]);
    });

    it('names both bounds when /kpis gets neither', async () => {
      const body = expectError(await app.get('/kpis'), 400, 'VALIDATION.FAILED');

      expect(fieldsOf(body)).toEqual(['from', 'to']);
    });

    it('rejects a bad query before waiting for minPosition', async () => {
      const started = Date.now();
      const body = expectError(
        await app.get(journey('limit=0&minPosition=999999')),
        400,
        'VALIDATION.FAILED',
      );

      expect(fieldsOf(body)).toEqual(['limit']);
      expect(Date.now() - started).toBeLessThan(READ_WAIT_MS);
    });

    it.each([
      ['from', '/kpis?from=yesterday&to=2025-02-01T00:00:00Z'],
      ['to', '/kpis?from=2025-01-01T00:00:00Z&to=2025-02-01'],
    ])('names %s, not asOf, when a KPI bound is not an instant', async (field, url) => {
      const body = expectError(await app.get(url), 400, 'VALIDATION.FAILED');

      expect(fieldsOf(body)).toEqual([field]);
    });
  });

  describe('cursors', () => {
    it.each([
      ['the journey timeline', journey('cursor=not-a-cursor')],
      ['the segments', '/customers?cursor=not-a-cursor'],
      [
        'the segments, base64 of something else',
        `/customers?cursor=${Buffer.from('{}').toString('base64url')}`,
      ],
    ])('answers a cursor this API never handed out on %s with 400 naming cursor', async (_route, url) => {
      const body = expectError(await app.get(url), 400, 'VALIDATION.FAILED');

      expect(fieldsOf(body)).toEqual(['cursor']);
    });

    it.each([
      ['the journey timeline', customerPath(KNOWN, '/journey?asOf=2025-06-01T00:00:00Z')],
      ['the segments', '/customers?asOf=2025-06-01T00:00:00Z'],
    ])('reads an empty cursor on %s as the first page', async (_route, url) => {
      const firstPage = await app.get(url);
      const response = await app.get(`${url}&cursor=`);

      expect(firstPage.statusCode).toBe(200);
      expect({ status: response.statusCode, body: response.body }).toEqual({
        status: 200,
        body: firstPage.body,
      });
    });

    it('answers a segment cursor reused with another sort with 400 naming cursor', async () => {
      const first = await segmentPage(app, { sort: '-netRevenue', limit: 1, minPosition: position });
      expect(first.nextCursor).toEqual(expect.any(String));

      const response = await app.get(`/customers?sort=orders&cursor=${first.nextCursor ?? ''}`);

      expect(fieldsOf(expectError(response, 400, 'VALIDATION.FAILED'))).toEqual(['cursor']);
    });
  });

  describe('404 CUSTOMER.NOT_FOUND', () => {
    it.each([
      ['journey', customerPath(UNKNOWN, '/journey')],
      ['scores', customerPath(UNKNOWN, '/scores')],
      ['journey, even once caught up', customerPath(UNKNOWN, '/journey?minPosition=1')],
      ['scores, even once caught up', customerPath(UNKNOWN, '/scores?minPosition=1')],
      ['journey of an id that differs only in case', customerPath(KNOWN.toUpperCase(), '/journey')],
    ])('for an unknown customer on %s', async (_route, url) => {
      expectError(await app.get(url), 404, 'CUSTOMER.NOT_FOUND');
    });

    it('is a 404 on the read side exactly when it is on the write side', async () => {
      expectError(await app.get(customerPath(UNKNOWN, '/events')), 404, 'CUSTOMER.NOT_FOUND');
      expect((await app.get(customerPath(KNOWN, `/journey?minPosition=${position}`))).statusCode).toBe(200);
      expect((await app.get(customerPath(KNOWN, `/scores?minPosition=${position}`))).statusCode).toBe(200);
    });
  });

  describe('minPosition past the log head, and 503 PROJECTION.NOT_CAUGHT_UP', () => {
    it.each([
      ['journey', customerPath(KNOWN, '/journey?minPosition=1000000')],
      ['scores', customerPath(KNOWN, '/scores?minPosition=1000000')],
      ['segments', '/customers?minPosition=1000000'],
      ['kpis', `/kpis?${RANGE}&minPosition=1000000`],
      ['journey of an unknown customer', customerPath(UNKNOWN, '/journey?minPosition=1000000')],
    ])('on %s is a 400 at once: a position after the head names no write', async (_route, url) => {
      const started = Date.now();
      const response = await app.get(url);

      const body = expectError(response, 400, 'VALIDATION.FAILED');
      expect(fieldsOf(body)).toEqual(['minPosition']);
      expect(body.details[0]?.message).toContain(`after the log's head (${position})`);
      expect(Date.now() - started).toBeLessThan(READ_WAIT_MS);
    });

    it.each([0, 1, 'the last written'])(
      'does not wait for minPosition %s, already reached',
      async (which) => {
        const minPosition = typeof which === 'number' ? which : position;
        const started = Date.now();
        const response = await app.get(customerPath(KNOWN, `/journey?minPosition=${minPosition}`));

        expect(response.statusCode).toBe(200);
        expect(Date.now() - started).toBeLessThan(READ_WAIT_MS);
      },
    );

    it('refuses the next position until something is written there', async () => {
      const next = position + 1;

      expectError(await app.get(`/customers?minPosition=${next}`), 400, 'VALIDATION.FAILED');
      const written = await recordTouchpoint(app, KNOWN, purchase('o-2', 100, '2025-01-06T00:00:00Z'));
      position = written.globalPosition;

      expect(written.globalPosition).toBe(next);
      expect((await app.get(`/customers?minPosition=${next}`)).statusCode).toBe(200);
    });
  });
});
