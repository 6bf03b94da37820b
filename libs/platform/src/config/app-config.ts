import * as path from 'node:path';
import { blindIndexKeyProblem } from './blind-index-key';
import { type MasterKeyConfig, parseMasterKeys } from './master-keys';

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

export type EventStoreConfig =
  | { readonly kind: 'sqlite'; readonly file: string }
  | {
      /** EventStoreDB/KurrentDB, from EVENTSTORE_URL (may hold credentials). */
      readonly kind: 'kurrent';
      readonly url: Secret;
    };

/**
 * Which parts of the product this process runs.
 * - `all`: API and projections (and, with Kafka, the relay) in one process: the embedded default.
 * - `api`: HTTP only; projections run elsewhere and reads follow their checkpoints in the read store.
 * - `relay`: follows the event store and publishes to Kafka (needs KAFKA_BROKERS).
 * - `projector`: runs the projections: a Kafka consumer with KAFKA_BROKERS, else a runner on the store's log.
 */
export const RUN_MODES = ['all', 'api', 'relay', 'projector'] as const;
export type RunMode = (typeof RUN_MODES)[number];

/** How events reach the projections: the store's global log directly, or Kafka (KAFKA_* settings). */
export type TransportConfig = { readonly kind: 'direct' } | { readonly kind: 'kafka' };

export type HttpTimeouts = {
  /** Headers and body of a request must arrive within this; otherwise 408 and the connection closes. */
  readonly requestTimeoutMs: number;
  /** A connection with no traffic either way for this long is closed. */
  readonly idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** On shutdown, requests in flight get this long; then every connection still open is closed. */
  readonly shutdownGraceMs: number;
};

export type AppConfig = {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** Largest accepted request body; larger ones get 413. */
  readonly maxBodyBytes: number;
  /** Largest number of items in POST /touchpoints/batch. */
  readonly maxBatchItems: number;
  /** Connection limits of the HTTP server (see docs/operations.md). */
  readonly http: HttpTimeouts;
  /** How far in the future an occurredAt may be (clock skew between clients and us). */
  readonly maxClockSkewMs: number;
  /** Customer aggregates kept in memory between requests (0 disables the cache). */
  readonly aggregateCacheSize: number;
  readonly logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  readonly runMode: RunMode;
  readonly transport: TransportConfig;
  readonly eventStore: EventStoreConfig;
  readonly readStore: ReadStoreConfig;
  readonly projections: ProjectionsConfig;
  /** `json`: one JSON object per line (the default, for machines); `pretty`: Nest's coloured lines, for people. */
  readonly logFormat: 'json' | 'pretty';
  readonly auth: AuthConfig;
  readonly privacy: PrivacyConfig;
  readonly analytics: AnalyticsConfig;
};

/** The analyst's reads of the whole history (docs/analytics.md). */
export type AnalyticsConfig = {
  /**
   * The longest log a what-if or whole-log time-travel replay may fold;
   * beyond it the request is refused at once (422 ANALYTICS.TOO_LARGE)
   * rather than running for minutes.
   */
  readonly maxReplayEvents: number;
};

/** Crypto-shredding of personal data (docs/privacy.md). */
export type PrivacyConfig = {
  /**
   * `MASTER_KEYS`, current first; null when unset, and then a development key
   * is generated into `devMasterKeyFile` (with a warning at boot).
   */
  readonly masterKeys: readonly MasterKeyConfig[] | null;
  readonly devMasterKeyFile: string;
  /**
   * `BLIND_INDEX_KEY` (32 bytes, base64): the HMAC key of the blind index
   * that lookups by email, phone and name prefix use; null when unset, and
   * then a development key is generated into `devBlindIndexKeyFile`.
   */
  readonly blindIndexKey: Secret | null;
  readonly devBlindIndexKeyFile: string;
  /** The embedded key store: the per-customer data keys, wrapped by the master key. */
  readonly keyStore: { readonly kind: 'sqlite'; readonly file: string };
};

/** API keys (docs/access-and-observability.md). */
export type AuthConfig = {
  /** The embedded key store: hashed secrets, names, roles. */
  readonly keyStoreFile: string;
  /** When the key store is empty at boot, create one key with every role and write it to `devKeyFile`. */
  readonly devKey: boolean;
  readonly devKeyFile: string;
};

export type ReadStoreConfig =
  | { readonly kind: 'sqlite'; readonly file: string }
  /** MongoDB (or FerretDB), from MONGODB_URL (may hold credentials) and MONGODB_DATABASE. */
  | { readonly kind: 'mongodb'; readonly url: Secret; readonly database: string };

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

  const url = (name: string, schemes: readonly string[]): Secret | null => {
    const raw = env[name];
    if (raw === undefined || raw === '') return null;
    if (!schemes.some((scheme) => raw.startsWith(`${scheme}://`))) {
      // The value may hold a password: name the variable, not its value.
      problems.push(`${name} must be a ${schemes.map((s) => `${s}://`).join(' or ')} URL`);
      return null;
    }
    return new Secret(raw);
  };

  const masterKeys = (): MasterKeyConfig[] | null => {
    const raw = env.MASTER_KEYS;
    if (raw === undefined || raw.trim() === '') return null;
    const parsed = parseMasterKeys(raw);
    problems.push(...parsed.problems);
    return parsed.keys;
  };

  const blindIndexKey = (): Secret | null => {
    const raw = env.BLIND_INDEX_KEY;
    if (raw === undefined || raw.trim() === '') return null;
    const problem = blindIndexKeyProblem(raw.trim());
    if (problem !== null) problems.push(problem);
    return problem === null ? new Secret(raw.trim()) : null;
  };

  const dataDir = path.resolve(env.DATA_DIR || './data');
  const eventStoreUrl = url('EVENTSTORE_URL', ['kurrentdb', 'kurrentdb+discover', 'esdb', 'esdb+discover']);
  const mongoUrl = url('MONGODB_URL', ['mongodb', 'mongodb+srv']);
  const transport: TransportConfig = env.KAFKA_BROKERS ? { kind: 'kafka' } : { kind: 'direct' };
  const runMode = oneOf('RUN_MODE', RUN_MODES, 'all');
  if (runMode === 'relay' && transport.kind !== 'kafka') {
    problems.push('RUN_MODE=relay publishes to Kafka: set KAFKA_BROKERS');
  }
  const mongoDatabase = env.MONGODB_DATABASE || 'crm';
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(mongoDatabase)) {
    problems.push(`MONGODB_DATABASE must be 1-63 letters, digits, _ or -, got "${mongoDatabase}"`);
  }
  const config: AppConfig = {
    port: int('PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir,
    maxBodyBytes: int('MAX_BODY_BYTES', 2 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    maxBatchItems: int('MAX_BATCH_ITEMS', 1000, 1, 10_000),
    http: {
      requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 30_000, 100, 10 * 60_000),
      idleTimeoutMs: int('IDLE_TIMEOUT_MS', 5 * 60_000, 1000, 60 * 60_000),
      keepAliveTimeoutMs: int('KEEP_ALIVE_TIMEOUT_MS', 72_000, 1000, 10 * 60_000),
      shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 10_000, 0, 10 * 60_000),
    },
    maxClockSkewMs: int('MAX_CLOCK_SKEW_MS', 5 * 60 * 1000, 0, 24 * 60 * 60 * 1000),
    aggregateCacheSize: int('AGGREGATE_CACHE_SIZE', 10_000, 0, 10_000_000),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'log'),
    runMode,
    transport,
    eventStore: eventStoreUrl
      ? { kind: 'kurrent', url: eventStoreUrl }
      : { kind: 'sqlite', file: path.join(dataDir, 'events.sqlite') },
    readStore: mongoUrl
      ? { kind: 'mongodb', url: mongoUrl, database: mongoDatabase }
      : { kind: 'sqlite', file: path.join(dataDir, 'read-models.sqlite') },
    projections: {
      mode: oneOf('PROJECTIONS', ['embedded', 'off'], 'embedded'),
      batchSize: int('PROJECTION_BATCH_SIZE', 500, 1, 10_000),
      readWaitMs: int('READ_WAIT_MS', 5000, 0, 60_000),
      churnWindowDays: int('CHURN_WINDOW_DAYS', 180, 1, 3650),
      deadLetterAfter: int('DEAD_LETTER_AFTER', 3, 1, 100),
    },
    logFormat: oneOf('LOG_FORMAT', ['json', 'pretty'], 'json'),
    auth: {
      keyStoreFile: path.join(dataDir, 'api-keys.sqlite'),
      // On by default so that the embedded all-in-one stays one command (`npm start`).
      devKey: oneOf('AUTH_DEV_KEY', ['true', 'false'], 'true') === 'true',
      devKeyFile: path.join(dataDir, 'dev-api-key'),
    },
    privacy: {
      masterKeys: masterKeys(),
      devMasterKeyFile: path.join(dataDir, 'master-key.dev'),
      blindIndexKey: blindIndexKey(),
      devBlindIndexKeyFile: path.join(dataDir, 'blind-index-key.dev'),
      keyStore: { kind: 'sqlite', file: path.join(dataDir, 'keys.sqlite') },
    },
    analytics: {
      // About 10 s of folding on two cores, 18 s under load (docs/analytics.md, Measured).
      maxReplayEvents: int('ANALYTICS_MAX_REPLAY_EVENTS', 500_000, 1, 1_000_000_000),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** DI token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Whether this process runs the projection runner on the store's global log:
 * the direct transport, in a mode that projects, unless projections are off.
 */
export function runsDirectProjections(config: AppConfig): boolean {
  return (
    config.transport.kind === 'direct' &&
    (config.runMode === 'all' || config.runMode === 'projector') &&
    config.projections.mode === 'embedded'
  );
}
