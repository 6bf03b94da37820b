import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import type { KafkaTransportConfig } from './kafka-config';

export type KafkaClientOptions = {
  /** kafkajs' own logging (default: errors only). */
  readonly logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
};

const LEVELS = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
} as const;

/** One kafkajs client for the relay and the consumers of a process. */
export function createKafkaClient(
  config: Pick<KafkaTransportConfig, 'brokers' | 'clientId'>,
  options: KafkaClientOptions = {},
): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    logLevel: LEVELS[options.logLevel ?? 'error'],
    connectionTimeout: 3000,
    retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 8 },
  });
}
