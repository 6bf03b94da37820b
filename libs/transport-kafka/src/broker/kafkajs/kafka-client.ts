import { Kafka, logLevel } from 'kafkajs';
import type { KafkaTransportConfig } from '../../kafka-config';

export type KafkaLogSeverity = 'error' | 'warn' | 'info' | 'debug';

export type KafkaClientOptions = {
  /** kafkajs' own logging (default: errors only). */
  readonly logLevel?: 'nothing' | KafkaLogSeverity;
  /** Where kafkajs' lines go (default: its own JSON lines on the console). */
  readonly log?: (severity: KafkaLogSeverity, message: string) => void;
  /**
   * How often kafkajs retries a connection or a request itself before it
   * fails (default 8, about 25 s with backoff). The relay and the consumers
   * retry beyond that on their own; a readiness probe wants one try.
   */
  readonly retries?: number;
};

const LEVELS = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
} as const;

function severityOf(level: logLevel): KafkaLogSeverity {
  switch (level) {
    case logLevel.ERROR:
      return 'error';
    case logLevel.WARN:
      return 'warn';
    case logLevel.INFO:
      return 'info';
    default:
      return 'debug';
  }
}

/** One kafkajs client for the relay and the consumers of a process. */
export function createKafkaClient(
  config: Pick<KafkaTransportConfig, 'brokers' | 'clientId'>,
  options: KafkaClientOptions = {},
): Kafka {
  const log = options.log;
  return new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    logLevel: LEVELS[options.logLevel ?? 'error'],
    ...(log && {
      logCreator: () => (entry) => log(severityOf(entry.level), `[${entry.namespace}] ${entry.log.message}`),
    }),
    connectionTimeout: 3000,
    retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: options.retries ?? 8 },
  });
}
