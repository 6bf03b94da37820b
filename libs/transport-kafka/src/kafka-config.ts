/** The Kafka transport's settings (relay and projection consumers), read from the environment. */
export type KafkaTransportConfig = {
  /** `host:port` of the bootstrap brokers. */
  readonly brokers: readonly string[];
  /** The event topic the relay publishes to and the projection consumers read. */
  readonly topic: string;
  /** Where messages go that the consumers could not apply. */
  readonly dlqTopic: string;
  /**
   * Partitions of both topics when they are created: the most projector
   * processes that share the work. An existing topic keeps its own count
   * (reported at boot and in readiness when it differs).
   */
  readonly partitions: number;
  readonly replicationFactor: number;
  /** The consumer group every projection worker joins. */
  readonly groupId: string;
  /** How often an event is tried before it is dead-lettered. */
  readonly maxAttempts: number;
  /** Partitions one projector process works on at once, each in order. */
  readonly consumerConcurrency: number;
  /**
   * How long the group waits for a silent projector (a crash, a freeze)
   * before its partitions move to the others. Shorter hands over sooner but
   * drops a member whose batch keeps it from heartbeating for that long.
   */
  readonly sessionTimeoutMs: number;
  readonly clientId: string;
};

export class KafkaConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid Kafka configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'KafkaConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Twelve: room for up to twelve projector processes, and for 1, 2, 3, 4 or 6 sharing them evenly. */
export const DEFAULT_PARTITIONS = 12;

/** Kafka's own rule for topic names (and a safe one for client and group ids). */
const KAFKA_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
/** `host:port` or `[ipv6]:port`. */
const BROKER = /^(?:\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9._-]+):(\d{1,5})$/;

const MAX_CONCURRENCY = 64;

/** What the defaults depend on outside the KAFKA_* variables. */
export type KafkaConfigContext = {
  /**
   * The projectors' read store. On SQLite (a local file, a unit in
   * milliseconds) a projector works on every partition it owns at once by
   * default; on MongoDB one at a time, since a unit takes a round trip per
   * set and a slow server would otherwise hold a dozen runs, and the
   * heartbeats after them, past the session timeout.
   */
  readonly readStore?: 'sqlite' | 'mongodb';
};

/** Reads and validates the KAFKA_* variables; reports every problem at once. */
export function readKafkaConfig(
  env: Env = process.env,
  context: KafkaConfigContext = {},
): KafkaTransportConfig {
  const problems: string[] = [];
  const text = (name: string, fallback: string): string => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    if (!KAFKA_NAME.test(raw)) {
      problems.push(`${name} may hold only letters, digits, ".", "_" and "-" (1 to 249), got "${raw}"`);
    }
    return raw;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };

  const brokers = readBrokers(env['KAFKA_BROKERS'], problems);
  const topic = text('KAFKA_TOPIC', 'crm.events');
  const dlqTopic = text('KAFKA_DLQ_TOPIC', 'crm.events.dlq');
  if (topic === dlqTopic) problems.push(`KAFKA_DLQ_TOPIC must differ from KAFKA_TOPIC ("${topic}")`);
  const partitions = int('KAFKA_PARTITIONS', DEFAULT_PARTITIONS, 1, 10_000);
  const config: KafkaTransportConfig = {
    brokers,
    topic,
    dlqTopic,
    partitions,
    replicationFactor: int('KAFKA_REPLICATION_FACTOR', 1, 1, 32),
    groupId: text('KAFKA_GROUP_ID', 'crm-projector'),
    maxAttempts: int('KAFKA_MAX_ATTEMPTS', 5, 1, 1000),
    consumerConcurrency: int(
      'KAFKA_CONSUMER_CONCURRENCY',
      context.readStore === 'sqlite' ? Math.min(partitions, MAX_CONCURRENCY) : 1,
      1,
      MAX_CONCURRENCY,
    ),
    // Kafka's group.min/max.session.timeout.ms defaults bound it: 6 s to 30 min.
    sessionTimeoutMs: int('KAFKA_SESSION_TIMEOUT_MS', 30_000, 6_000, 1_800_000),
    clientId: text('KAFKA_CLIENT_ID', 'crm'),
  };
  if (problems.length > 0) throw new KafkaConfigError(problems);
  return config;
}

function readBrokers(raw: string | undefined, problems: string[]): string[] {
  const brokers = (raw ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
  if (brokers.length === 0) {
    problems.push('KAFKA_BROKERS is required: a comma-separated list of host:port, e.g. "127.0.0.1:19092"');
  }
  for (const broker of brokers) {
    const port = Number(BROKER.exec(broker)?.[1] ?? 0);
    if (port < 1 || port > 65_535) {
      problems.push(`KAFKA_BROKERS entry "${broker}" is not host:port with a port from 1 to 65535`);
    }
  }
  return brokers;
}
