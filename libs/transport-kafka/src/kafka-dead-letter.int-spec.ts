import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerStreamId } from '@crm/domain';
import { SqliteEventStore } from '@crm/event-store';
import {
  CUSTOMER_PROJECTIONS,
  DEAD_LETTER_COLLECTION,
  type DeadLetterDocument,
  deadLetterId,
  type Projection,
} from '@crm/projections';
import type { ReadStore, StoredDocument } from '@crm/read-store';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { fixtureEvents, loadFixture } from '../../projections/src/testing/crm-fixture';
import { dumpCollections } from '../../projections/src/testing/read-model-digest';
import { EVENT_HEADERS, headerText } from './event-message';
import { DEAD_LETTER_HEADERS, DECODE_STAGE } from './kafka-dead-letter';
import {
  embeddedRebuild,
  openTargetReadStore,
  PROJECTED_COLLECTIONS,
  readTopic,
  type RunningTransport,
  startTransport,
  testKafka,
  testKafkaConfig,
} from './testing/kafka-int';

const lines = fixtureEvents();
const [ada, bob] = ['cust-01', 'cust-02'];
const firstHalf = lines.filter((l) => l.customerId === ada || l.customerId === bob);
const otherCustomers = lines.filter((l) => l.customerId === 'cust-03' || l.customerId === 'cust-04');

const header = (message: KafkaMessage, name: string): string | null => headerText(message.headers, name);
const text = (buffer: Buffer | null): string | null => buffer?.toString('utf8') ?? null;

/** A projection that fails every time it sees one event, and counts how often it was asked. */
function failingOn(projection: Projection, eventId: string, calls: { count: number }): Projection {
  return {
    ...projection,
    async project(batch, reader) {
      if (batch.some((e) => e.event.eventId === eventId)) {
        calls.count++;
        throw new Error(`cannot apply ${eventId}`);
      }
      return projection.project(batch, reader);
    },
  };
}

describe('poison events on the Kafka transport', () => {
  let dir: string;
  let events: SqliteEventStore;
  let store: ReadStore;
  let kafka: Kafka;
  let transport: RunningTransport | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-kafka-dlq-'));
    events = await SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
    store = await openTargetReadStore(dir, 'via-kafka');
  });
  afterEach(async () => {
    await transport?.stop();
    transport = undefined;
    await Promise.all([store.close(), events.close()]);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('sends a malformed message to the dead-letter topic and dead_letters, and keeps the others flowing', async () => {
    const config = testKafkaConfig('poison');
    kafka = testKafka(config);
    await loadFixture(events, firstHalf);
    transport = await startTransport(kafka, events, store, config);
    await transport.delivered(60_000);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: config.topic,
      messages: [
        {
          key: ada,
          value: '{"streamId":"customer-cust-01", oops',
          headers: { [EVENT_HEADERS.eventId]: 'poison-1', [EVENT_HEADERS.type]: 'CallLogged' },
        },
      ],
    });
    await producer.disconnect();
    // Later events, of other customers and of the poisoned one, go through.
    await loadFixture(events, otherCustomers);
    await events.append(customerStreamId(ada), [
      {
        eventId: randomUUID(),
        type: 'SurveyAnswered',
        version: 1,
        occurredAt: '2025-12-01T10:00:00.000Z',
        data: { surveyType: 'nps', score: 10 },
        metadata: { correlationId: 'after-poison', causationId: null, actor: 'test', source: 'test' },
      },
    ]);
    await transport.delivered(60_000);

    const [letter] = await readTopic(kafka, config.dlqTopic, 1, 30_000);
    expect(text(letter!.key)).toBe(ada);
    expect(text(letter!.value)).toBe('{"streamId":"customer-cust-01", oops');
    expect(header(letter!, EVENT_HEADERS.eventId)).toBe('poison-1');
    expect(header(letter!, DEAD_LETTER_HEADERS.error)).toMatch(/^kafka-decode: the value is not JSON: /);
    expect(header(letter!, DEAD_LETTER_HEADERS.attempts)).toBe('1');
    expect(header(letter!, DEAD_LETTER_HEADERS.topic)).toBe(config.topic);

    const stored = await store.get<DeadLetterDocument & StoredDocument>(
      DEAD_LETTER_COLLECTION,
      deadLetterId(DECODE_STAGE, 'poison-1'),
    );
    expect(stored).toMatchObject({
      projection: DECODE_STAGE,
      eventId: 'poison-1',
      customerId: ada,
      type: 'CallLogged',
      attempts: 1,
      status: 'open',
      source: 'kafka',
    });
    expect(stored?.error).toMatch(/^the value is not JSON: /);
    expect(await store.count(DEAD_LETTER_COLLECTION)).toBe(1);

    // Every customer, the poisoned one included, is exactly where the embedded runner puts it.
    const embedded = await embeddedRebuild(events, dir);
    expect(await dumpCollections(store, PROJECTED_COLLECTIONS)).toEqual(
      await dumpCollections(embedded, PROJECTED_COLLECTIONS),
    );
    expect(await store.count('journeys')).toBe(4);
    await embedded.close();
  }, 120_000);

  it('dead-letters an event a projection fails on maxAttempts times, for that projection only', async () => {
    const config = testKafkaConfig('attempts');
    kafka = testKafka(config);
    const poisonId = randomUUID();
    const calls = { count: 0 };
    const projections = CUSTOMER_PROJECTIONS.map((p) =>
      p.name === 'idic-scores' ? failingOn(p, poisonId, calls) : p,
    );
    await loadFixture(events, firstHalf);
    const poisonPosition = (
      await events.append(customerStreamId(bob), [
        {
          eventId: poisonId,
          type: 'SurveyAnswered',
          version: 1,
          occurredAt: '2025-12-02T10:00:00.000Z',
          data: { surveyType: 'nps', score: 3 },
          metadata: { correlationId: 'poison-corr', causationId: null, actor: 'test', source: 'test' },
        },
      ])
    ).position;
    await loadFixture(events, otherCustomers);
    transport = await startTransport(kafka, events, store, config, { consumer: { projections } });
    await transport.delivered(60_000);

    // One try of the whole run, one of the customer's events, then maxAttempts tries of the event alone.
    expect(calls.count).toBe(2 + config.maxAttempts);
    const [letter] = await readTopic(kafka, config.dlqTopic, 1, 30_000);
    expect(header(letter!, DEAD_LETTER_HEADERS.projections)).toBe('idic-scores');
    expect(header(letter!, DEAD_LETTER_HEADERS.attempts)).toBe(String(config.maxAttempts));
    expect(header(letter!, DEAD_LETTER_HEADERS.error)).toBe(`idic-scores: cannot apply ${poisonId}`);
    expect(header(letter!, EVENT_HEADERS.correlationId)).toBe('poison-corr');
    expect(JSON.parse(text(letter!.value) ?? '')).toMatchObject({
      eventId: poisonId,
      position: poisonPosition,
    });

    const stored = await store.get(DEAD_LETTER_COLLECTION, deadLetterId('idic-scores', poisonId));
    expect(stored).toMatchObject({
      position: poisonPosition,
      projection: 'idic-scores',
      streamId: customerStreamId(bob),
      customerId: bob,
      type: 'SurveyAnswered',
      attempts: config.maxAttempts,
      status: 'open',
      source: 'kafka',
    });

    // The journey and KPI projections applied the event; idic skipped it for bob only.
    const embedded = await embeddedRebuild(events, dir);
    const mine = await dumpCollections(store, PROJECTED_COLLECTIONS);
    const reference = await dumpCollections(embedded, PROJECTED_COLLECTIONS);
    for (const collection of ['journeys', 'kpi_facts'])
      expect(mine[collection]).toEqual(reference[collection]);
    const idicOf = (docs: StoredDocument[] | undefined) => new Map((docs ?? []).map((d) => [d.id, d]));
    const [mineIdic, referenceIdic] = [idicOf(mine['idic']), idicOf(reference['idic'])];
    expect(mineIdic.get(bob)).not.toEqual(referenceIdic.get(bob));
    expect(mineIdic.get(bob)?.position).toBeLessThan(poisonPosition);
    expect(mine['journeys']?.find((d) => d.id === bob)?.position).toBe(poisonPosition);
    for (const id of ['cust-01', 'cust-03', 'cust-04'])
      expect(mineIdic.get(id)).toEqual(referenceIdic.get(id));
    await embedded.close();
  }, 120_000);

  it('dead-letters a customer whose amounts the read models cannot hold, while every other customer advances', async () => {
    const config = testKafkaConfig('unstorable');
    kafka = testKafka(config);
    await loadFixture(events, firstHalf);
    const huge = [randomUUID(), randomUUID()];
    await events.append(
      customerStreamId(bob),
      huge.map((eventId, index) => ({
        eventId,
        type: 'PurchaseCompleted',
        version: 1,
        occurredAt: `2025-12-0${index + 3}T10:00:00.000Z`,
        data: { orderId: `huge-${index}`, amount: 1e308, currency: 'EUR', channel: 'web' },
        metadata: { correlationId: eventId, causationId: null, actor: 'test', source: 'test' },
      })),
    );
    await loadFixture(events, otherCustomers);
    transport = await startTransport(kafka, events, store, config);
    await transport.delivered(60_000);

    // One letter per projection that could not hold an event; the journey holds no money.
    const letters = await store.find<DeadLetterDocument & StoredDocument>(DEAD_LETTER_COLLECTION, {
      limit: 100,
    });
    expect(letters.items.map((letter) => letter.id).sort()).toEqual(
      ['idic-scores', 'payne-frow-kpis', 'campaign-performance', 'customer-portfolio']
        .flatMap((p) => huge.map((id) => deadLetterId(p, id)))
        .sort(),
    );
    for (const letter of letters.items)
      expect(letter).toMatchObject({ customerId: bob, status: 'open', source: 'kafka' });
    const published = await readTopic(kafka, config.dlqTopic, 2, 30_000);
    expect(published.map((message) => header(message, EVENT_HEADERS.eventId)).sort()).toEqual(
      [...huge].sort(),
    );

    // Everyone is exactly where the embedded runner puts them: the others whole, bob without the two.
    const embedded = await embeddedRebuild(events, dir);
    expect(await dumpCollections(store, PROJECTED_COLLECTIONS)).toEqual(
      await dumpCollections(embedded, PROJECTED_COLLECTIONS),
    );
    expect(await store.count('journeys')).toBe(4);
    await embedded.close();
  }, 120_000);
});
