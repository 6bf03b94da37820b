import { randomUUID } from 'node:crypto';
import { expectError, registerCustomer, recordTouchpoint } from './support/api';
import { type DeadLetterBody, eventually, projectionOf } from './support/admin';
import { Poison } from './support/poisoned-projections';
import { call, journeyOf, purchase, scoresOf } from './support/read-models';
import { TestApp } from './support/test-app';

jest.setTimeout(60_000);

type LetterPage = { readonly items: DeadLetterBody[]; readonly nextCursor: string | null };

describe.each(['main', 'worker'])(
  'dead letters of the embedded runner (projections in the %s thread)',
  (thread) => {
    let app: TestApp;
    /** Event ids the journey projection fails on, until a test takes them out again. */
    const poisoned = new Poison('customer-journey');

    beforeAll(async () => {
      app = await TestApp.start(
        { PROJECTION_BATCH_SIZE: '4', PROJECTIONS_THREAD: thread },
        { projectionSource: poisoned.source },
      );
    });
    afterAll(async () => {
      await app.stop();
      poisoned.dispose();
    });

    /** A customer with a touchpoint the journey fails on between two good ones; returns both. */
    async function customerWithPoison(): Promise<{ customerId: string; eventId: string; last: number }> {
      const customerId = await registerCustomer(app);
      const eventId = randomUUID();
      poisoned.add(eventId);
      await recordTouchpoint(app, customerId, call('inbound', '2025-01-02T00:00:00Z'));
      await recordTouchpoint(app, customerId, { ...purchase('o-1', 500, '2025-01-03T00:00:00Z'), eventId });
      const last = await recordTouchpoint(app, customerId, call('outbound', '2025-01-04T00:00:00Z'));
      return { customerId, eventId, last: last.globalPosition };
    }

    async function lettersOf(query: string): Promise<LetterPage> {
      const response = await app.get<LetterPage>(`/admin/dead-letters${query}`);
      expect(response.statusCode).toBe(200);
      return response.body;
    }

    it('records the failing event as an open letter (references only) and keeps applying the rest', async () => {
      const { customerId, eventId, last } = await customerWithPoison();

      const journey = await journeyOf(app, customerId, { minPosition: last });
      expect(journey.touchpoints).toBe(2);
      expect(journey.stage).not.toBe('conversion');
      // The timeline shows what the counters count: the left-out event is not in it.
      expect(journey.timeline.items.map((item) => item.id)).not.toContain(eventId);
      expect(journey.timeline.items).toHaveLength(2);
      expect((await scoresOf(app, customerId, { minPosition: last })).differentiate.value.orders).toBe(1);

      const { items } = await lettersOf(`?status=open&projection=customer-journey&limit=1000`);
      const letter = items.find((item) => item.eventId === eventId);
      expect(letter).toMatchObject({
        id: `customer-journey:${eventId}`,
        projection: 'customer-journey',
        streamId: `customer-${customerId}`,
        customerId,
        type: 'PurchaseCompleted',
        status: 'open',
        source: 'embedded',
        attempts: 3,
        error: `cannot apply ${eventId}`,
      });
      expect(letter).not.toHaveProperty('data');
      const journeyStatus = await projectionOf(app, 'customer-journey');
      expect(journeyStatus.errors.deadLettersOpen).toBeGreaterThanOrEqual(1);
      expect(journeyStatus.errors.deadLettered).toBeGreaterThanOrEqual(1);
    });

    it('retries a letter: still failing is 409 with one more attempt; once fixed the customer is recomputed', async () => {
      const { customerId, eventId, last } = await customerWithPoison();
      await journeyOf(app, customerId, { minPosition: last });
      const id = encodeURIComponent(`customer-journey:${eventId}`);

      const failed = await app.post(`/admin/dead-letters/${id}/retry`);
      expectError(failed, 409, 'DEAD_LETTER.RETRY_FAILED');
      const stillOpen = (await lettersOf('?status=open&limit=1000')).items.find((l) => l.eventId === eventId);
      expect(stillOpen?.attempts).toBe(4);

      poisoned.delete(eventId);
      const retried = await app.post<DeadLetterBody>(`/admin/dead-letters/${id}/retry`);
      expect(retried.statusCode).toBe(200);
      expect(retried.body.status).toBe('retried');

      const journey = await journeyOf(app, customerId);
      expect(journey.touchpoints).toBe(3);
      expect(journey.stage).toBe('conversion');
      expect(journey.timeline.items.map((item) => item.id)).toContain(eventId);
      expect((await lettersOf('?status=retried&limit=1000')).items.map((l) => l.eventId)).toContain(eventId);
      expectError(await app.post(`/admin/dead-letters/${id}/retry`), 409, 'DEAD_LETTER.ALREADY_RETRIED');

      // The recomputed customer goes on like any other.
      const next = await recordTouchpoint(app, customerId, call('inbound', '2025-01-05T00:00:00Z'));
      expect((await journeyOf(app, customerId, { minPosition: next.globalPosition })).touchpoints).toBe(4);
    });

    it('skips a letter: marked skipped, nothing applied; skipping it again is 409', async () => {
      const { customerId, eventId, last } = await customerWithPoison();
      await journeyOf(app, customerId, { minPosition: last });
      const id = encodeURIComponent(`customer-journey:${eventId}`);

      const skipped = await app.post<DeadLetterBody>(`/admin/dead-letters/${id}/skip`);
      expect(skipped.statusCode).toBe(200);
      expect(skipped.body.status).toBe('skipped');
      expect((await journeyOf(app, customerId)).touchpoints).toBe(2);
      expect((await lettersOf('?status=skipped&limit=1000')).items.map((l) => l.eventId)).toEqual([eventId]);
      expectError(await app.post(`/admin/dead-letters/${id}/skip`), 409, 'DEAD_LETTER.NOT_OPEN');
    });

    it('pages the letters by cursor and rejects bad filters; unknown letters are 404', async () => {
      const { eventId } = await customerWithPoison();
      // Wait for this customer's letter: the earlier tests' letters alone would satisfy a count.
      const all = await eventually(
        () => lettersOf('?limit=1000'),
        (page) => page.items.some((item) => item.eventId === eventId),
      );
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: LetterPage = await lettersOf(
          `?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).toEqual(all.items.map((item) => item.id));

      expectError(await app.get('/admin/dead-letters?status=lost'), 400, 'VALIDATION.FAILED');
      expectError(await app.get('/admin/dead-letters?limit=0'), 400, 'VALIDATION.FAILED');
      expectError(
        await app.post('/admin/dead-letters/customer-journey%3Anope/retry'),
        404,
        'DEAD_LETTER.NOT_FOUND',
      );
      expectError(
        await app.post('/admin/dead-letters/customer-journey%3Anope/skip'),
        404,
        'DEAD_LETTER.NOT_FOUND',
      );
    });
  },
);
