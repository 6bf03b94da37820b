import * as path from 'node:path';
import { ConfigError } from './config-error';
import { type Env, ENV_SCHEMA, problemsOf, type RawEnv, withoutEmptyValues } from './env-schema';
import type { MasterKeyConfig } from './master-keys';
import type { RunMode } from './run-mode';
import type { Secret } from './secret';

// The config's public names, wherever they are defined.
export { ConfigError } from './config-error';
export { Secret } from './secret';
export { RUN_MODES, type RunMode } from './run-mode';

export type EventStoreConfig =
  | { readonly kind: 'sqlite'; readonly file: string }
  | {
      /** EventStoreDB/KurrentDB, from EVENTSTORE_URL (may hold credentials). */
      readonly kind: 'kurrent';
      readonly url: Secret;
    };

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
  readonly webhooks: WebhooksConfig;
  readonly automations: AutomationsConfig;
};

/** The reactors that record events of their own (docs/automations.md). */
export type AutomationsConfig = {
  /** AUTOMATIONS=on: the reactors run in RUN_MODE all and automations (off: none runs; the admin routes still answer). */
  readonly enabled: boolean;
  /** Minutes from a case's opening to its first-response deadline, by priority (a missing or unknown one is `normal`). */
  readonly slaFirstResponseMinutes: { readonly high: number; readonly normal: number; readonly low: number };
  /** The assignee of the follow-up a breached case gets. */
  readonly ownerQueue: string;
};

/** Webhook deliveries (docs/webhooks.md). */
export type WebhooksConfig = {
  /** Attempts of one delivery before it is parked. */
  readonly maxAttempts: number;
  /** The first retry waits up to this long (full jitter), doubling per attempt up to `retryMaxMs`. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** One request's time limit, response included. */
  readonly timeoutMs: number;
  /** A subscription whose target has failed everything for this long is paused with the reason. */
  readonly autoPauseAfterMs: number;
  /** Customers delivered to at once, per subscription (each customer's events stay in order). */
  readonly concurrency: number;
  /** How often a caught-up subscription looks for new events. */
  readonly pollMs: number;
  /** Plain http to hosts other than loopback (off: https, or http to 127.0.0.0/8, ::1, localhost). */
  readonly allowInsecureTargets: boolean;
};

/** The analyst's reads of the whole history (docs/analytics.md). */
export type AnalyticsConfig = {
  /**
   * The longest log a what-if or whole-log time-travel replay may fold;
   * beyond it the request is refused at once (422 ANALYTICS.TOO_LARGE)
   * rather than running for minutes.
   */
  readonly maxReplayEvents: number;
  /** The live feed, GET /events/stream. */
  readonly feed: {
    /** A comment line after this long without an event. */
    readonly heartbeatMs: number;
    /** A client that takes no write for this long is cut off. */
    readonly stallMs: number;
  };
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
  /**
   * Days before a purchase in which a campaign click earns it (last click).
   * The campaign read models hold the attribution: a change takes a rebuild.
   */
  readonly attributionWindowDays: number;
  /** Attempts at an event a projection fails on before it becomes a dead letter. */
  readonly deadLetterAfter: number;
};

/**
 * Reads and validates every setting at boot (the variables, defaults and
 * limits are in env-schema.ts); throws one ConfigError with all problems.
 */
export function loadConfig(raw: RawEnv = process.env): AppConfig {
  const parsed = ENV_SCHEMA.safeParse(withoutEmptyValues(raw));
  if (!parsed.success) throw new ConfigError(problemsOf(parsed.error));
  return appConfigOf(parsed.data);
}

function appConfigOf(env: Env): AppConfig {
  return {
    port: env.PORT,
    host: env.HOST,
    dataDir: env.DATA_DIR,
    maxBodyBytes: env.MAX_BODY_BYTES,
    maxBatchItems: env.MAX_BATCH_ITEMS,
    http: {
      requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
      idleTimeoutMs: env.IDLE_TIMEOUT_MS,
      keepAliveTimeoutMs: env.KEEP_ALIVE_TIMEOUT_MS,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    },
    maxClockSkewMs: env.MAX_CLOCK_SKEW_MS,
    aggregateCacheSize: env.AGGREGATE_CACHE_SIZE,
    logLevel: env.LOG_LEVEL,
    runMode: env.RUN_MODE,
    transport: env.KAFKA_BROKERS === undefined ? { kind: 'direct' } : { kind: 'kafka' },
    eventStore: eventStoreOf(env),
    readStore: readStoreOf(env),
    projections: {
      mode: env.PROJECTIONS,
      batchSize: env.PROJECTION_BATCH_SIZE,
      readWaitMs: env.READ_WAIT_MS,
      churnWindowDays: env.CHURN_WINDOW_DAYS,
      attributionWindowDays: env.CAMPAIGN_ATTRIBUTION_WINDOW_DAYS,
      deadLetterAfter: env.DEAD_LETTER_AFTER,
    },
    logFormat: env.LOG_FORMAT,
    auth: {
      keyStoreFile: path.join(env.DATA_DIR, 'api-keys.sqlite'),
      devKey: env.AUTH_DEV_KEY,
      devKeyFile: path.join(env.DATA_DIR, 'dev-api-key'),
    },
    privacy: privacyOf(env),
    analytics: {
      maxReplayEvents: env.ANALYTICS_MAX_REPLAY_EVENTS,
      feed: { heartbeatMs: env.FEED_HEARTBEAT_MS, stallMs: env.FEED_STALL_MS },
    },
    webhooks: {
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: env.WEBHOOK_RETRY_MAX_MS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      autoPauseAfterMs: env.WEBHOOK_AUTO_PAUSE_AFTER_MS,
      concurrency: env.WEBHOOK_CONCURRENCY,
      pollMs: env.WEBHOOK_POLL_MS,
      allowInsecureTargets: env.WEBHOOK_ALLOW_INSECURE_TARGETS,
    },
    automations: {
      enabled: env.AUTOMATIONS === 'on',
      slaFirstResponseMinutes: {
        high: env.SLA_FIRST_RESPONSE_MINUTES_HIGH,
        normal: env.SLA_FIRST_RESPONSE_MINUTES_NORMAL,
        low: env.SLA_FIRST_RESPONSE_MINUTES_LOW,
      },
      ownerQueue: env.SLA_OWNER_QUEUE,
    },
  };
}

function eventStoreOf(env: Env): EventStoreConfig {
  if (env.EVENTSTORE_URL !== undefined) return { kind: 'kurrent', url: env.EVENTSTORE_URL };
  return { kind: 'sqlite', file: path.join(env.DATA_DIR, 'events.sqlite') };
}

function readStoreOf(env: Env): ReadStoreConfig {
  if (env.MONGODB_URL !== undefined)
    return { kind: 'mongodb', url: env.MONGODB_URL, database: env.MONGODB_DATABASE };
  return { kind: 'sqlite', file: path.join(env.DATA_DIR, 'read-models.sqlite') };
}

function privacyOf(env: Env): PrivacyConfig {
  return {
    masterKeys: env.MASTER_KEYS,
    devMasterKeyFile: path.join(env.DATA_DIR, 'master-key.dev'),
    blindIndexKey: env.BLIND_INDEX_KEY,
    devBlindIndexKeyFile: path.join(env.DATA_DIR, 'blind-index-key.dev'),
    keyStore: { kind: 'sqlite', file: path.join(env.DATA_DIR, 'keys.sqlite') },
  };
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

/** Whether this process runs the reactors: the embedded all-in-one and the automations process, unless AUTOMATIONS=off. */
export function runsAutomations(config: AppConfig): boolean {
  return config.automations.enabled && (config.runMode === 'all' || config.runMode === 'automations');
}
