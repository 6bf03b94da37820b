import * as path from 'node:path';

/** A value that must never reach logs or error messages. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[secret]';
  }
  toJSON(): string {
    return '[secret]';
  }
}

export type EventStoreConfig = {
  readonly kind: 'sqlite';
  readonly file: string;
  /** Commit (and fsync) on a worker thread; see SqliteEventStoreOptions.writerThread. */
  readonly writerThread: boolean;
};

export type AppConfig = {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** Largest accepted request body; larger ones get 413. */
  readonly maxBodyBytes: number;
  /** Largest number of items in POST /touchpoints/batch. */
  readonly maxBatchItems: number;
  /** How far in the future an occurredAt may be (clock skew between clients and us). */
  readonly maxClockSkewMs: number;
  /** Customer aggregates kept in memory between requests (0 disables the cache). */
  readonly aggregateCacheSize: number;
  readonly logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  readonly eventStore: EventStoreConfig;
  readonly readStore: ReadStoreConfig;
  readonly projections: ProjectionsConfig;
};

export type ReadStoreConfig = { readonly kind: 'sqlite'; readonly file: string };

export type ProjectionsConfig = {
  /** `embedded`: projection runners live in this process (the all-in-one default); `off`: read only. */
  readonly mode: 'embedded' | 'off';
  /** Events per unit of work. */
  readonly batchSize: number;
  /** Longest a read with `minPosition` waits for the projections to catch up before 503. */
  readonly readWaitMs: number;
  /** Days without a purchase after which a converted customer counts as lapsed. */
  readonly churnWindowDays: number;
  /** Attempts at an event a projection fails on before it becomes a dead letter. */
  readonly deadLetterAfter: number;
};

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates every setting at boot; reports all problems at once. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
      return fallback;
    }
    return raw as T;
  };

  const dataDir = path.resolve(env.DATA_DIR || './data');
  const config: AppConfig = {
    port: int('PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir,
    maxBodyBytes: int('MAX_BODY_BYTES', 2 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    maxBatchItems: int('MAX_BATCH_ITEMS', 1000, 1, 10_000),
    maxClockSkewMs: int('MAX_CLOCK_SKEW_MS', 5 * 60 * 1000, 0, 24 * 60 * 60 * 1000),
    aggregateCacheSize: int('AGGREGATE_CACHE_SIZE', 10_000, 0, 10_000_000),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'log'),
    eventStore: {
      kind: 'sqlite',
      file: path.join(dataDir, 'events.sqlite'),
      writerThread: oneOf('EVENT_STORE_WRITER_THREAD', ['true', 'false'], 'false') === 'true',
    },
    readStore: { kind: 'sqlite', file: path.join(dataDir, 'read-models.sqlite') },
    projections: {
      mode: oneOf('PROJECTIONS', ['embedded', 'off'], 'embedded'),
      batchSize: int('PROJECTION_BATCH_SIZE', 500, 1, 10_000),
      readWaitMs: int('READ_WAIT_MS', 5000, 0, 60_000),
      churnWindowDays: int('CHURN_WINDOW_DAYS', 180, 1, 3650),
      deadLetterAfter: int('DEAD_LETTER_AFTER', 3, 1, 100),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** DI token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
