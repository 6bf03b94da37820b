import * as path from 'node:path';
import { z } from 'zod';
import { blindIndexKeyProblem } from './blind-index-key';
import { parseMasterKeys } from './master-keys';
import { RUN_MODES } from './run-mode';
import { Secret } from './secret';

/**
 * The environment variables the app reads, their defaults and what each
 * allows, as one zod schema. An empty value counts as unset (see
 * `withoutEmptyValues`). Each problem reads `<VARIABLE> <message>`
 * (`problemsOf`): messages state what is allowed and quote the value, except
 * for URLs and keys, which may hold credentials.
 */

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

const EVENT_STORE_SCHEMES = ['kurrentdb', 'kurrentdb+discover', 'esdb', 'esdb+discover'];
const MONGODB_SCHEMES = ['mongodb', 'mongodb+srv'];

/** A decimal integer in [min, max]; "1e6", "80.5" and "-1" are refused like any other non-digit text. */
function int(fallback: number, min: number, max: number) {
  const inRange = (raw: string): boolean => {
    const value = Number(raw);
    return /^\d+$/.test(raw) && value >= min && value <= max;
  };
  return z
    .string()
    .refine(inRange, {
      // One check, so one problem per value, quoting it as given.
      error: (issue) => `must be an integer between ${min} and ${max}, got "${String(issue.input)}"`,
    })
    .transform(Number)
    .default(fallback);
}

function oneOf<const T extends readonly [string, ...string[]]>(allowed: T, fallback: T[number]) {
  return z
    .enum(allowed, { error: (issue) => `must be one of ${allowed.join(', ')}, got "${String(issue.input)}"` })
    .default(fallback);
}

/** `true` or `false`, nothing else (no yes/1/on). */
function flag(fallback: boolean) {
  return oneOf(['true', 'false'], fallback ? 'true' : 'false').transform((value) => value === 'true');
}

/** A connection URL of one of `schemes`, kept as a Secret; the message leaves the value out (it may hold a password). */
function url(schemes: readonly string[]) {
  return z
    .string()
    .refine((raw) => schemes.some((scheme) => raw.startsWith(`${scheme}://`)), {
      error: `must be a ${schemes.map((scheme) => `${scheme}://`).join(' or ')} URL`,
    })
    .transform((raw) => new Secret(raw))
    .optional();
}

/** `MASTER_KEYS`: `id:base64key` entries, current first (master-keys.ts); blank means unset. */
const masterKeys = z
  .string()
  .optional()
  .transform((raw, context) => {
    if (raw === undefined || raw.trim() === '') return null;
    const parsed = parseMasterKeys(raw);
    for (const problem of parsed.problems) context.addIssue({ code: 'custom', message: problem });
    return parsed.keys;
  });

/** `BLIND_INDEX_KEY`: 32 bytes in base64; blank means unset. */
const blindIndexKey = z
  .string()
  .optional()
  .transform((raw, context) => {
    const encoded = raw?.trim() ?? '';
    if (encoded === '') return null;
    const problem = blindIndexKeyProblem(encoded);
    if (problem !== null) context.addIssue({ code: 'custom', message: problem });
    return new Secret(encoded);
  });

/** In this order problems are reported. */
export const ENV_SCHEMA = z
  .object({
    PORT: int(3000, 0, 65535),
    HOST: z.string().default('127.0.0.1'),
    DATA_DIR: z
      .string()
      .default('./data')
      .transform((dir) => path.resolve(dir)),
    MAX_BODY_BYTES: int(2 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    MAX_BATCH_ITEMS: int(1000, 1, 10_000),
    REQUEST_TIMEOUT_MS: int(30_000, 100, 10 * 60_000),
    IDLE_TIMEOUT_MS: int(5 * 60_000, 1000, 60 * 60_000),
    KEEP_ALIVE_TIMEOUT_MS: int(72_000, 1000, 10 * 60_000),
    SHUTDOWN_GRACE_MS: int(10_000, 0, 10 * 60_000),
    MAX_CLOCK_SKEW_MS: int(5 * 60 * 1000, 0, 24 * 60 * 60 * 1000),
    AGGREGATE_CACHE_SIZE: int(10_000, 0, 10_000_000),
    LOG_LEVEL: oneOf(LOG_LEVELS, 'log'),
    LOG_FORMAT: oneOf(['json', 'pretty'], 'json'),
    EVENTSTORE_URL: url(EVENT_STORE_SCHEMES),
    MONGODB_URL: url(MONGODB_SCHEMES),
    KAFKA_BROKERS: z.string().optional(),
    RUN_MODE: oneOf(RUN_MODES, 'all'),
    MONGODB_DATABASE: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/, {
        error: (issue) => `must be 1-63 letters, digits, _ or -, got "${String(issue.input)}"`,
      })
      .default('crm'),
    PROJECTIONS: oneOf(['embedded', 'off'], 'embedded'),
    PROJECTION_BATCH_SIZE: int(500, 1, 10_000),
    READ_WAIT_MS: int(5000, 0, 60_000),
    CHURN_WINDOW_DAYS: int(180, 1, 3650),
    // Last-click attribution of purchases to campaigns (docs/domain.md, "Campaign performance").
    CAMPAIGN_ATTRIBUTION_WINDOW_DAYS: int(7, 1, 365),
    DEAD_LETTER_AFTER: int(3, 1, 100),
    // On by default so that the embedded all-in-one stays one command (`npm start`).
    AUTH_DEV_KEY: flag(true),
    MASTER_KEYS: masterKeys,
    BLIND_INDEX_KEY: blindIndexKey,
    // About 10 s of folding on two cores, 18 s under load (docs/analytics.md, Measured).
    ANALYTICS_MAX_REPLAY_EVENTS: int(500_000, 1, 1_000_000_000),
    // GET /events/stream: a comment line this often keeps idle feeds (and proxies) open.
    FEED_HEARTBEAT_MS: int(15_000, 100, 10 * 60_000),
    // A feed whose client has not taken a write for this long is cut (docs/analytics.md).
    FEED_STALL_MS: int(30_000, 100, 10 * 60_000),
    // Webhook deliveries (docs/webhooks.md): attempts before a delivery is parked, the backoff
    // between them, one request's time limit, how long a failing subscription runs before it is
    // paused, and plain-http targets beyond loopback (off: https only).
    WEBHOOK_MAX_ATTEMPTS: int(8, 1, 100),
    WEBHOOK_RETRY_BASE_MS: int(500, 1, 60 * 60_000),
    WEBHOOK_RETRY_MAX_MS: int(60_000, 1, 24 * 60 * 60_000),
    WEBHOOK_TIMEOUT_MS: int(10_000, 100, 5 * 60_000),
    WEBHOOK_AUTO_PAUSE_AFTER_MS: int(6 * 60 * 60_000, 1000, 30 * 24 * 60 * 60_000),
    WEBHOOK_CONCURRENCY: int(8, 1, 256),
    WEBHOOK_POLL_MS: int(250, 10, 60_000),
    WEBHOOK_ALLOW_INSECURE_TARGETS: flag(false),
    // Automations (docs/automations.md): the reactors run in `all` and `automations` unless off;
    // first-response deadlines by case priority, and the queue a breached case's follow-up goes to.
    AUTOMATIONS: oneOf(['on', 'off'], 'on'),
    SLA_FIRST_RESPONSE_MINUTES_HIGH: int(60, 1, 366 * 24 * 60),
    SLA_FIRST_RESPONSE_MINUTES_NORMAL: int(240, 1, 366 * 24 * 60),
    SLA_FIRST_RESPONSE_MINUTES_LOW: int(1440, 1, 366 * 24 * 60),
    SLA_OWNER_QUEUE: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/, {
        error: (issue) =>
          `must be 1-128 letters, digits, _ . : @ or - (starting with a letter or digit), got "${String(issue.input)}"`,
      })
      .default('support'),
  })
  .refine(
    (env) =>
      typeof env.FEED_HEARTBEAT_MS !== 'number' ||
      typeof env.IDLE_TIMEOUT_MS !== 'number' ||
      env.FEED_HEARTBEAT_MS < env.IDLE_TIMEOUT_MS,
    {
      path: ['FEED_HEARTBEAT_MS'],
      error: 'must be below IDLE_TIMEOUT_MS, or idle feeds are closed between heartbeats',
      when: () => true,
    },
  )
  .refine((env) => env.RUN_MODE !== 'automations' || env.AUTOMATIONS !== 'off', {
    path: ['RUN_MODE'],
    error: 'RUN_MODE=automations runs the automations: unset AUTOMATIONS=off',
    when: () => true,
  })
  .refine((env) => env.RUN_MODE !== 'relay' || env.KAFKA_BROKERS !== undefined, {
    path: ['RUN_MODE'],
    error: 'RUN_MODE=relay publishes to Kafka: set KAFKA_BROKERS',
    // Also when another variable is invalid, so that every problem is reported at once.
    when: () => true,
  });

export type Env = z.output<typeof ENV_SCHEMA>;

export type RawEnv = Readonly<Record<string, string | undefined>>;

/** The schema's variable names, in the order problems are reported. */
const VARIABLES: readonly string[] = Object.keys(ENV_SCHEMA.shape);

/**
 * The schema's variables that have a value, read one by one by name (not by
 * walking the whole environment). `VAR=` in a shell or a compose file means
 * "use the default", as if it were not set.
 */
export function withoutEmptyValues(raw: RawEnv): Record<string, string> {
  const present: Record<string, string> = {};
  for (const name of VARIABLES) {
    const value = raw[name];
    if (value !== undefined && value !== '') present[name] = value;
  }
  return present;
}

/**
 * The issues as problem lines in the order of the schema's variables: each
 * starts with its variable, unless its message already does (MASTER_KEYS's
 * and BLIND_INDEX_KEY's own checks, the RUN_MODE=relay rule).
 */
export function problemsOf(error: z.ZodError): string[] {
  const place = (issue: z.core.$ZodIssue): number => VARIABLES.indexOf(String(issue.path[0]));
  return [...error.issues]
    .sort((a, b) => place(a) - place(b))
    .map((issue) => {
      const variable = String(issue.path[0]);
      return issue.message.startsWith(variable) ? issue.message : `${variable} ${issue.message}`;
    });
}
