import { Kafka, logLevel } from 'kafkajs';
import { ignoreKafkajsNegativeTimeouts } from './negative-timeout-warning';
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

/**
 * A broker's error answer to one request (`[Connection] Response
 * Heartbeat(…)`: "rebalance in progress", a leader still being elected). kafkajs
 * logs it at error, then retries the request itself, or gives up and throws to
 * its caller, whose own report is the error. So it is a warning here: an
 * operator alerting on level error is not paged by every rebalance.
 */
function isBrokerAnswer(namespace: string, message: string): boolean {
  return namespace === 'Connection' && message.startsWith('Response ');
}

/** kafkajs' line as one message: its text, and the broker's error when it names one. */
export function kafkaLogLine(entry: {
  readonly namespace: string;
  readonly level: logLevel;
  readonly log: { readonly message: string; readonly error?: unknown };
}): { readonly severity: KafkaLogSeverity; readonly message: string } {
  const { message, error } = entry.log;
  const text = `[${entry.namespace}] ${message}${typeof error === 'string' ? `: ${error}` : ''}`;
  const severity = severityOf(entry.level);
  return {
    severity: severity === 'error' && isBrokerAnswer(entry.namespace, message) ? 'warn' : severity,
    message: text,
  };
}

/** One kafkajs client for the relay and the consumers of a process. */
export function createKafkaClient(
  config: Pick<KafkaTransportConfig, 'brokers' | 'clientId'>,
  options: KafkaClientOptions = {},
): Kafka {
  const log = options.log;
  ignoreKafkajsNegativeTimeouts();
  return new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    logLevel: LEVELS[options.logLevel ?? 'error'],
    ...(log && {
      logCreator: () => (entry) => {
        const line = kafkaLogLine(entry);
        log(line.severity, line.message);
      },
    }),
    connectionTimeout: 3000,
    retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: options.retries ?? 8 },
  });
}
