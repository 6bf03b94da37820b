import { keyIdOf } from './support/api-keys';
import { randomUUID } from 'node:crypto';
import {
  type BatchBody,
  type BatchItemBody,
  type ErrorResponseBody,
  expectError,
  expectNoStream,
  expectUnchanged,
  fieldsOf,
  newCustomerId,
  readEvents,
  recordTouchpoint,
  registerCustomer,
  streamSnapshot,
} from './support/api';
import { TestApp } from './support/test-app';
import { meeting, SAMPLE_TYPES, TOUCHPOINT_SAMPLES } from './support/touchpoints';

type Item = Record<string, unknown>;

describe('POST /touchpoints/batch', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });

  afterAll(async () => {
    await app.stop();
  });

  const batch = (items: readonly Item[], headers?: Record<string, string>) =>
    app.post<BatchBody>('/touchpoints/batch', { items }, headers);

  const itemFor = (customerId: string, extra: Item = {}): Item => meeting({ customerId, ...extra });

  const statuses = (body: BatchBody): string[] => body.items.map((item) => item.status);

  const errorCodes = (body: BatchBody): (string | undefined)[] => body.items.map((item) => item.error?.code);

  describe('all valid', () => {
    it('records items of several customers and answers per item in input order with their revisions', async () => {
      const ann = await registerCustomer(app);
      const bob = await registerCustomer(app);
      const items = [ann, bob, ann, bob, ann].map((customerId) =>
        itemFor(customerId, { eventId: randomUUID() }),
      );

      const response = await batch(items);

      expect(response.statusCode).toBe(200);
      expect(response.body).toMatchObject({ created: 5, duplicates: 0, rejected: 0 });
      expect(
        response.body.items.map((item) => [item.index, item.status, item.customerId, item.eventId]),
      ).toEqual(items.map((item, index) => [index, 'created', item.customerId, item.eventId]));
      expect(response.body.items.map((item) => item.streamRevision)).toEqual([1, 1, 2, 2, 3]);
      const annStream = await readEvents(app, ann);
      expect(annStream.events.slice(1).map((event) => event.eventId)).toEqual(
        [items[0], items[2], items[4]].map((item) => item?.eventId),
      );
      expect(annStream.events.slice(1).map((event) => event.globalPosition)).toEqual(
        [0, 2, 4].map((index) => response.body.items[index]?.globalPosition),
      );
      expect((await readEvents(app, bob)).streamRevision).toBe(2);
    });

    it('records every touchpoint type in one batch, data stored as sent and metadata taken from the headers', async () => {
      const customerId = await registerCustomer(app);
      // A refund after its purchase, a reply and then a resolution after the case is opened.
      const items: Item[] = SAMPLE_TYPES.map((type) => ({
        customerId,
        type,
        eventId: randomUUID(),
        ...TOUCHPOINT_SAMPLES[type].fields,
      })).sort((a, b) => rank(a.type) - rank(b.type));

      const response = await batch(items, {
        'x-correlation-id': 'nightly-import-7',
        'x-causation-id': 'file-2024-05-01',
      });

      expect(statuses(response.body)).toEqual(Array(11).fill('created'));
      const stored = (await readEvents(app, customerId)).events.slice(1);
      expect(stored.map((event) => [event.eventId, event.type, event.version, event.data])).toEqual(
        items.map(({ customerId: _customerId, type, eventId, ...data }) => [eventId, type, 1, data]),
      );
      for (const event of stored) {
        expect(event.metadata).toEqual({
          correlationId: 'nightly-import-7',
          causationId: 'file-2024-05-01',
          actor: keyIdOf(app.apiKey),
          source: 'api',
        });
      }
    });

    it('decides each item against the items of the same customer before it', async () => {
      const customerId = await registerCustomer(app);

      const response = await batch([
        {
          customerId,
          type: 'PurchaseCompleted',
          orderId: 'o-7',
          amount: 1000,
          currency: 'EUR',
          channel: 'store',
        },
        { customerId, type: 'PurchaseRefunded', orderId: 'o-7', amount: 600, currency: 'EUR' },
        { customerId, type: 'PurchaseRefunded', orderId: 'o-7', amount: 400, currency: 'EUR' },
      ]);

      expect(statuses(response.body)).toEqual(['created', 'created', 'created']);
    });

    it('accepts 1,000 items, the maximum', async () => {
      const customerId = await registerCustomer(app);

      const response = await batch(Array.from({ length: 1000 }, () => itemFor(customerId)));

      expect(response.statusCode).toBe(200);
      expect(response.body.created).toBe(1000);
      expect(response.body.items.map((item) => item.streamRevision)).toEqual(
        Array.from({ length: 1000 }, (_, index) => index + 1),
      );
      expect((await readEvents(app, customerId)).streamRevision).toBe(1000);
    });
  });

  describe('rejections within a batch', () => {
    it('rejects only the group of the customer with an invalid item; the other customers items are created', async () => {
      const ann = await registerCustomer(app);
      const bob = await registerCustomer(app);
      const annBefore = await streamSnapshot(app, ann);

      const response = await batch([
        itemFor(ann),
        itemFor(bob),
        itemFor(ann, { durationMinutes: -5 }),
        itemFor(ann),
        itemFor(bob),
      ]);

      expect(response.statusCode).toBe(200);
      expect(statuses(response.body)).toEqual(['rejected', 'created', 'rejected', 'rejected', 'created']);
      expect(errorCodes(response.body)).toEqual([
        'BATCH.CUSTOMER_GROUP_REJECTED',
        undefined,
        'VALIDATION.FAILED',
        'BATCH.CUSTOMER_GROUP_REJECTED',
        undefined,
      ]);
      expect(fieldsOf(response.body.items[2]?.error as ErrorResponseBody)).toEqual([
        'items[2].durationMinutes',
      ]);
      expect(fieldsOf(response.body.items[0]?.error as ErrorResponseBody)).toEqual(['items[2]']);
      expect(response.body).toMatchObject({ created: 2, duplicates: 0, rejected: 3 });
      await expectUnchanged(app, ann, annBefore);
      expect((await readEvents(app, bob)).streamRevision).toBe(2);
    });

    it('rejects the group of a customer whose item breaks a domain rule, naming the rule on that item', async () => {
      const ann = await registerCustomer(app);
      const bob = await registerCustomer(app);
      const annBefore = await streamSnapshot(app, ann);

      const response = await batch([
        {
          customerId: ann,
          type: 'PurchaseCompleted',
          orderId: 'o-1',
          amount: 500,
          currency: 'EUR',
          channel: 'web',
        },
        itemFor(bob),
        { customerId: ann, type: 'PurchaseRefunded', orderId: 'o-1', amount: 501, currency: 'EUR' },
      ]);

      expect(statuses(response.body)).toEqual(['rejected', 'created', 'rejected']);
      expect(response.body.items[2]?.error).toMatchObject({ statusCode: 422, code: 'REFUND.EXCEEDS_PAID' });
      expect(response.body.items[0]?.error).toMatchObject({
        statusCode: 409,
        code: 'BATCH.CUSTOMER_GROUP_REJECTED',
      });
      expect(fieldsOf(response.body.items[0]?.error as ErrorResponseBody)).toEqual(['items[2]']);
      await expectUnchanged(app, ann, annBefore);
    });

    // Known bug: validation details of batch items carry the items[i] prefix, but the details of a
    // domain rule do not (the handler passes DomainError.details through unprefixed): `amount`.
    it('names the field that broke a domain rule with its items[i] path', async () => {
      const customerId = await registerCustomer(app);

      const response = await batch([
        {
          customerId,
          type: 'PurchaseCompleted',
          orderId: 'o-1',
          amount: 500,
          currency: 'EUR',
          channel: 'web',
        },
        { customerId, type: 'PurchaseRefunded', orderId: 'o-1', amount: 501, currency: 'EUR' },
      ]);

      expect(fieldsOf(response.body.items[1]?.error as ErrorResponseBody)).toEqual(['items[1].amount']);
    });

    it('rejects the items of an unknown customer with CUSTOMER.NOT_FOUND and creates no stream for it', async () => {
      const known = await registerCustomer(app);
      const unknown = newCustomerId('ghost');

      const response = await batch([itemFor(unknown), itemFor(known), itemFor(unknown)]);

      expect(statuses(response.body)).toEqual(['rejected', 'created', 'rejected']);
      expect(response.body.items[0]?.error).toMatchObject({ statusCode: 404, code: 'CUSTOMER.NOT_FOUND' });
      expect(response.body.items[2]?.error).toMatchObject({ code: 'BATCH.CUSTOMER_GROUP_REJECTED' });
      expect(response.body.items[0]?.customerId).toBe(unknown);
      await expectNoStream(app, unknown);
    });

    it('rejects a lone item of an unknown customer with status 404 in its error', async () => {
      const unknown = newCustomerId('ghost');

      const response = await batch([itemFor(unknown)]);

      expect(response.body.items).toEqual([
        expect.objectContaining({
          index: 0,
          status: 'rejected',
          error: expect.objectContaining({ statusCode: 404, code: 'CUSTOMER.NOT_FOUND' }) as unknown,
        }),
      ]);
      await expectNoStream(app, unknown);
    });

    it.each([
      ['no customerId', { customerId: undefined }, 'items[0].customerId'],
      ['a customerId outside the safe alphabet', { customerId: 'has space' }, 'items[0].customerId'],
      ['an expectedRevision', { expectedRevision: 0 }, 'items[0].expectedRevision'],
    ])('rejects an item with %s, naming the field', async (_label, override, field) => {
      const customerId = await registerCustomer(app);
      const before = await streamSnapshot(app, customerId);

      const response = await batch([{ ...itemFor(customerId), ...override }].map(dropUndefined));

      const [item] = response.body.items;
      expect(item?.status).toBe('rejected');
      expect(item?.error?.code).toBe('VALIDATION.FAILED');
      expect(fieldsOf(item?.error as ErrorResponseBody)).toEqual([field]);
      await expectUnchanged(app, customerId, before);
    });

    it('rejects an item without customerId on its own, without touching other groups', async () => {
      const customerId = await registerCustomer(app);

      const response = await batch([meeting(), itemFor(customerId)]);

      expect(statuses(response.body)).toEqual(['rejected', 'created']);
      expect(response.body.items[0]?.customerId).toBeUndefined();
    });

    it('names every bad field of every item with its items[i] path, nested purchase items included', async () => {
      const customerId = await registerCustomer(app);
      const before = await streamSnapshot(app, customerId);

      const response = await batch([
        {
          customerId,
          type: 'PurchaseCompleted',
          orderId: 'o-1',
          amount: 100,
          currency: 'EUR',
          channel: 'web',
          items: [
            { sku: 'a', category: 'c', quantity: 0, unitAmount: 1 },
            { sku: 'b', category: 'c', quantity: 1, unitAmount: -1, colour: 'red' },
          ],
        },
        itemFor(customerId, { type: 'Teleported' }),
        { customerId, type: 'PurchaseRefunded', orderId: 'o-1', amount: 0, currency: 'EURO', bogus: true },
      ]);

      const fields = response.body.items.map((item) => fieldsOf(item.error as ErrorResponseBody).sort());
      expect(fields).toEqual([
        ['items[0].items[0].quantity', 'items[0].items[1].colour', 'items[0].items[1].unitAmount'],
        ['items[1].type'],
        ['items[2].amount', 'items[2].bogus', 'items[2].currency'],
      ]);
      await expectUnchanged(app, customerId, before);
    });

    // Known bug: the handler maps CommandRejectedError.index onto all valid items of the group, but the
    // repository counts only the commands left after dropping already-stored eventIds, so after a
    // duplicate item the rule violation is pinned on the wrong item.
    it('names the item that broke a rule even when a duplicate item of the same customer precedes it', async () => {
      const customerId = await registerCustomer(app);
      const stored = itemFor(customerId, { eventId: randomUUID() });
      await batch([stored]);

      const response = await batch([
        stored,
        itemFor(customerId),
        { customerId, type: 'PurchaseRefunded', orderId: 'nope', amount: 5, currency: 'EUR' },
      ]);

      expect(errorCodes(response.body)).toEqual([
        'BATCH.CUSTOMER_GROUP_REJECTED',
        'BATCH.CUSTOMER_GROUP_REJECTED',
        'REFUND.UNKNOWN_ORDER',
      ]);
    });

    it('writes nothing for a group holding a duplicate item and an item that breaks a rule', async () => {
      const customerId = await registerCustomer(app);
      const stored = itemFor(customerId, { eventId: randomUUID() });
      await batch([stored]);
      const before = await streamSnapshot(app, customerId);

      const response = await batch([
        stored,
        itemFor(customerId),
        { customerId, type: 'PurchaseRefunded', orderId: 'nope', amount: 5, currency: 'EUR' },
      ]);

      expect(statuses(response.body)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(errorCodes(response.body)).toContain('REFUND.UNKNOWN_ORDER');
      await expectUnchanged(app, customerId, before);
    });
  });

  describe('idempotency', () => {
    it('answers a batch retried whole with the same revisions and positions as duplicates, writing nothing', async () => {
      const ann = await registerCustomer(app);
      const bob = await registerCustomer(app);
      const items = [ann, bob, ann].map((customerId) => itemFor(customerId, { eventId: randomUUID() }));
      const first = await batch(items);
      const annBefore = await streamSnapshot(app, ann);
      const bobBefore = await streamSnapshot(app, bob);

      const retry = await batch(items);

      expect(retry.statusCode).toBe(200);
      expect(retry.body).toMatchObject({ created: 0, duplicates: 3, rejected: 0 });
      expect(retry.body.items).toEqual(
        first.body.items.map((item): BatchItemBody => ({ ...item, status: 'duplicate' })),
      );
      await expectUnchanged(app, ann, annBefore);
      await expectUnchanged(app, bob, bobBefore);
    });

    it('reports an item already recorded as a duplicate with its original revision and creates the new ones', async () => {
      const customerId = await registerCustomer(app);
      const body = meeting({ eventId: randomUUID() });
      const original = await recordTouchpoint(app, customerId, body);

      const response = await batch([{ ...body, customerId }, itemFor(customerId)]);

      expect(response.body.items[0]).toEqual({
        index: 0,
        status: 'duplicate',
        customerId,
        eventId: original.eventId,
        type: 'MeetingHeld',
        streamRevision: original.streamRevision,
        globalPosition: original.globalPosition,
      });
      expect(response.body.items[1]).toMatchObject({ status: 'created', streamRevision: 2 });
      expect((await readEvents(app, customerId)).streamRevision).toBe(2);
    });

    it('writes an eventId repeated inside one batch once and reports the repeat as a duplicate of it', async () => {
      const customerId = await registerCustomer(app);
      const item = itemFor(customerId, { eventId: randomUUID() });

      const response = await batch([item, item]);

      expect(statuses(response.body)).toEqual(['created', 'duplicate']);
      expect(response.body.items[1]?.streamRevision).toBe(response.body.items[0]?.streamRevision);
      expect(response.body.items[1]?.globalPosition).toBe(response.body.items[0]?.globalPosition);
      expect((await readEvents(app, customerId)).events).toHaveLength(2);
    });

    it('rejects the group when an eventId repeats inside one batch with another payload, naming the repeat', async () => {
      const customerId = await registerCustomer(app);
      const before = await streamSnapshot(app, customerId);
      const eventId = randomUUID();

      const response = await batch([
        itemFor(customerId, { eventId, durationMinutes: 10 }),
        itemFor(customerId, { eventId, durationMinutes: 99 }),
      ]);

      expect(statuses(response.body)).toEqual(['rejected', 'rejected']);
      expect(errorCodes(response.body)).toEqual([
        'BATCH.CUSTOMER_GROUP_REJECTED',
        'IDEMPOTENCY.PAYLOAD_MISMATCH',
      ]);
      await expectUnchanged(app, customerId, before);
    });

    it('rejects an item whose eventId belongs to another customer with EVENT_STORE.EVENT_ID_CONFLICT', async () => {
      const owner = await registerCustomer(app);
      const other = await registerCustomer(app);
      const taken = itemFor(owner, { eventId: randomUUID() });
      await batch([taken]);
      const ownerBefore = await streamSnapshot(app, owner);
      const otherBefore = await streamSnapshot(app, other);

      const response = await batch([{ ...taken, customerId: other }]);

      expect(response.body.items[0]).toMatchObject({
        status: 'rejected',
        error: { statusCode: 409, code: 'EVENT_STORE.EVENT_ID_CONFLICT' },
      });
      await expectUnchanged(app, owner, ownerBefore);
      await expectUnchanged(app, other, otherBefore);
    });

    // Known bug: a store error (not a CommandRejectedError) is copied onto every item of the group,
    // so innocent items get EVENT_ID_CONFLICT naming someone else's eventId instead of GROUP_REJECTED.
    it('marks the other items of a group rejected for an eventId conflict as BATCH.CUSTOMER_GROUP_REJECTED', async () => {
      const owner = await registerCustomer(app);
      const other = await registerCustomer(app);
      const taken = itemFor(owner, { eventId: randomUUID() });
      await batch([taken]);

      const response = await batch([itemFor(other), { ...taken, customerId: other }]);

      expect(errorCodes(response.body)).toEqual([
        'BATCH.CUSTOMER_GROUP_REJECTED',
        'EVENT_STORE.EVENT_ID_CONFLICT',
      ]);
    });
  });

  describe('request-level errors', () => {
    it('rejects 1,001 items with 413 BATCH.TOO_MANY_ITEMS and writes none of them', async () => {
      const customerId = await registerCustomer(app);
      const before = await streamSnapshot(app, customerId);

      const response = await batch(Array.from({ length: 1001 }, () => itemFor(customerId)));

      const error = expectError(response, 413, 'BATCH.TOO_MANY_ITEMS');
      expect(fieldsOf(error)).toEqual(['items']);
      await expectUnchanged(app, customerId, before);
    });

    it.each([
      ['an empty items array', { items: [] }],
      ['no items', {}],
      ['items that are not an array', { items: { 0: {} } }],
      ['a bare array', []],
    ])('rejects %s with 400 naming items', async (_label, body) => {
      const response = await app.post('/touchpoints/batch', body);

      expect(fieldsOf(expectError(response, 400, 'VALIDATION.FAILED'))).toEqual(['items']);
    });

    it('rejects a bad x-causation-id header before recording any item', async () => {
      const customerId = await registerCustomer(app);
      const before = await streamSnapshot(app, customerId);

      const response = await batch([itemFor(customerId)], { 'x-causation-id': 'not valid!' });

      expect(fieldsOf(expectError(response, 400, 'VALIDATION.FAILED'))).toEqual(['headers.x-causation-id']);
      await expectUnchanged(app, customerId, before);
    });
  });
});

/** Sort key that puts the touchpoints needing an earlier one after it. */
function rank(type: unknown): number {
  const late: Record<string, number> = {
    PurchaseRefunded: 1,
    SupportCaseResponded: 1,
    SupportCaseResolved: 2,
  };
  return typeof type === 'string' ? (late[type] ?? 0) : 0;
}

function dropUndefined(item: Item): Item {
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined));
}
