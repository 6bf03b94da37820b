import { randomUUID } from 'node:crypto';
import { MongoReadStore } from '@crm/read-store/mongo';
import { newCustomerId, recordTouchpoint } from './support/api';
import { type JourneyBody, purchase, registerRecorded } from './support/read-models';
import { TestApp } from './support/test-app';

/**
 * The whole app chosen by configuration, not by code: the embedded event
 * store, the Kafka transport (relay and consumers in the same process,
 * RUN_MODE=all) and MongoDB read models (FerretDB in the integration run).
 */
function requiredEnv(name: 'KAFKA_BROKERS' | 'MONGODB_URL'): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the integration tests with \`npm run test:integration\``);
  return value;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the app on Kafka and MongoDB (RUN_MODE=all)', () => {
  const unique = randomUUID().slice(0, 8);
  const env = {
    KAFKA_BROKERS: requiredEnv('KAFKA_BROKERS'),
    KAFKA_TOPIC: `app.${unique}.events`,
    KAFKA_DLQ_TOPIC: `app.${unique}.dlq`,
    KAFKA_GROUP_ID: `app-${unique}`,
    KAFKA_PARTITIONS: '3',
    MONGODB_URL: requiredEnv('MONGODB_URL'),
    MONGODB_DATABASE: `app_${unique}`,
  };
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start(env);
  });

  afterAll(async () => {
    await app.stop();
  });

  it('projects a write through the relay, Kafka and the consumers into MongoDB, where the API reads it', async () => {
    const customerId = newCustomerId('kafka-app');
    await registerRecorded(app, { customerId, occurredAt: '2025-01-01T00:00:00Z' });
    await recordTouchpoint(app, customerId, purchase('o-1', 5000, '2025-02-01T00:00:00Z'));

    const journey = await eventually(
      () => app.get<JourneyBody>(`/customers/${customerId}/journey`),
      (response) => response.statusCode === 200 && response.body.stage === 'conversion',
      'the journey to reach conversion',
    );

    expect(journey.body.stage).toBe('conversion');
    // The documents are in MongoDB, not in a file of DATA_DIR.
    const mongo = await MongoReadStore.open({ url: env.MONGODB_URL, database: env.MONGODB_DATABASE });
    try {
      expect(await mongo.get('journeys', customerId)).toMatchObject({ id: customerId, stage: 'conversion' });
    } finally {
      await mongo.close();
    }
  });

  it('reports Kafka among the engines it is ready on', async () => {
    const response = await app
      .as(null)
      .get<{ status: string; checks: Record<string, { status: string }> }>('/health/ready');

    expect(response.statusCode).toBe(200);
    expect(response.body.checks).toMatchObject({
      eventStore: { status: 'up' },
      readStore: { status: 'up' },
      kafka: { status: 'up', topic: env.KAFKA_TOPIC, partitions: 3 },
    });
  });
});
