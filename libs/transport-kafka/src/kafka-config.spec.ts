import { type KafkaTransportConfig, KafkaConfigError, readKafkaConfig } from './kafka-config';

type Env = Record<string, string | undefined>;

function problemsOf(env: Env): readonly string[] {
  try {
    readKafkaConfig(env);
  } catch (error) {
    if (error instanceof KafkaConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected readKafkaConfig to throw a KafkaConfigError');
}

describe('readKafkaConfig', () => {
  it('applies the documented defaults when only the brokers are given', () => {
    expect(readKafkaConfig({ KAFKA_BROKERS: '127.0.0.1:19092' })).toEqual<KafkaTransportConfig>({
      brokers: ['127.0.0.1:19092'],
      topic: 'crm.events',
      dlqTopic: 'crm.events.dlq',
      partitions: 12,
      replicationFactor: 1,
      groupId: 'crm-projector',
      maxAttempts: 5,
      consumerConcurrency: 1,
      sessionTimeoutMs: 30_000,
      clientId: 'crm',
    });
  });

  it('reads every variable, trimming spaces and empty broker entries', () => {
    const config = readKafkaConfig({
      KAFKA_BROKERS: ' kafka-1:9092, kafka-2:9093 ,,[::1]:9094 ',
      KAFKA_TOPIC: 'crm.prod.events',
      KAFKA_DLQ_TOPIC: 'crm.prod.dlq',
      KAFKA_PARTITIONS: '24',
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_GROUP_ID: 'projector-blue',
      KAFKA_MAX_ATTEMPTS: '2',
      KAFKA_CONSUMER_CONCURRENCY: '4',
      KAFKA_SESSION_TIMEOUT_MS: '10000',
      KAFKA_CLIENT_ID: 'crm-relay-1',
    });
    expect(config).toEqual<KafkaTransportConfig>({
      brokers: ['kafka-1:9092', 'kafka-2:9093', '[::1]:9094'],
      topic: 'crm.prod.events',
      dlqTopic: 'crm.prod.dlq',
      partitions: 24,
      replicationFactor: 3,
      groupId: 'projector-blue',
      maxAttempts: 2,
      consumerConcurrency: 4,
      sessionTimeoutMs: 10_000,
      clientId: 'crm-relay-1',
    });
  });

  it('works on every partition a process owns at once over a SQLite read store (up to 64), one at a time over MongoDB', () => {
    const sqlite = { readStore: 'sqlite' } as const;
    expect(readKafkaConfig({ KAFKA_BROKERS: 'k:1' }, sqlite).consumerConcurrency).toBe(12);
    expect(readKafkaConfig({ KAFKA_BROKERS: 'k:1', KAFKA_PARTITIONS: '3' }, sqlite).consumerConcurrency).toBe(
      3,
    );
    expect(
      readKafkaConfig({ KAFKA_BROKERS: 'k:1', KAFKA_PARTITIONS: '200' }, sqlite).consumerConcurrency,
    ).toBe(64);
    expect(
      readKafkaConfig({ KAFKA_BROKERS: 'k:1', KAFKA_CONSUMER_CONCURRENCY: '2' }, sqlite).consumerConcurrency,
    ).toBe(2);
    expect(readKafkaConfig({ KAFKA_BROKERS: 'k:1' }, { readStore: 'mongodb' }).consumerConcurrency).toBe(1);
    expect(
      readKafkaConfig({ KAFKA_BROKERS: 'k:1', KAFKA_CONSUMER_CONCURRENCY: '6' }, { readStore: 'mongodb' })
        .consumerConcurrency,
    ).toBe(6);
  });

  it('treats empty values as unset', () => {
    const config = readKafkaConfig({ KAFKA_BROKERS: 'k:1', KAFKA_TOPIC: '', KAFKA_PARTITIONS: ' ' });
    expect(config.topic).toBe('crm.events');
    expect(config.partitions).toBe(12);
  });

  it('requires the brokers', () => {
    expect(problemsOf({})).toEqual([
      'KAFKA_BROKERS is required: a comma-separated list of host:port, e.g. "127.0.0.1:19092"',
    ]);
    expect(problemsOf({ KAFKA_BROKERS: ' , ' })).toHaveLength(1);
  });

  it('reports every bad value at once, naming the variable and the value', () => {
    const problems = problemsOf({
      KAFKA_BROKERS: 'localhost,127.0.0.1:0,host:99999,ok:9092',
      KAFKA_TOPIC: 'crm events',
      KAFKA_PARTITIONS: '0',
      KAFKA_REPLICATION_FACTOR: '1.5',
      KAFKA_MAX_ATTEMPTS: '-1',
      KAFKA_GROUP_ID: 'group/1',
    });
    expect(problems).toEqual([
      'KAFKA_BROKERS entry "localhost" is not host:port with a port from 1 to 65535',
      'KAFKA_BROKERS entry "127.0.0.1:0" is not host:port with a port from 1 to 65535',
      'KAFKA_BROKERS entry "host:99999" is not host:port with a port from 1 to 65535',
      'KAFKA_TOPIC may hold only letters, digits, ".", "_" and "-" (1 to 249), got "crm events"',
      'KAFKA_PARTITIONS must be an integer between 1 and 10000, got "0"',
      'KAFKA_REPLICATION_FACTOR must be an integer between 1 and 32, got "1.5"',
      'KAFKA_GROUP_ID may hold only letters, digits, ".", "_" and "-" (1 to 249), got "group/1"',
      'KAFKA_MAX_ATTEMPTS must be an integer between 1 and 1000, got "-1"',
    ]);
  });

  it('rejects a dead-letter topic equal to the event topic', () => {
    expect(problemsOf({ KAFKA_BROKERS: 'k:1', KAFKA_TOPIC: 'same', KAFKA_DLQ_TOPIC: 'same' })).toEqual([
      'KAFKA_DLQ_TOPIC must differ from KAFKA_TOPIC ("same")',
    ]);
  });

  it('gives the error a stable code and a message listing the problems', () => {
    let thrown: unknown;
    try {
      readKafkaConfig({});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KafkaConfigError);
    expect(thrown).toMatchObject({ code: 'CONFIG.INVALID' });
    expect((thrown as Error).message).toMatch(
      /^Invalid Kafka configuration:\n {2}- KAFKA_BROKERS is required/,
    );
  });
});
