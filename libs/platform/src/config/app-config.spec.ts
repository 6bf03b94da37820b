import * as path from 'node:path';
import { type AppConfig, ConfigError, loadConfig, Secret } from './app-config';

type Env = Record<string, string | undefined>;

/** The problems a ConfigError reports for `env`; fails when loading succeeds or throws anything else. */
function problemsOf(env: Env): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const dataDir = path.resolve('./data');

    expect(loadConfig({})).toEqual<AppConfig>({
      port: 3000,
      host: '127.0.0.1',
      dataDir,
      maxBodyBytes: 2 * 1024 * 1024,
      maxBatchItems: 1000,
      http: {
        requestTimeoutMs: 30_000,
        idleTimeoutMs: 300_000,
        keepAliveTimeoutMs: 72_000,
        shutdownGraceMs: 10_000,
      },
      maxClockSkewMs: 5 * 60 * 1000,
      aggregateCacheSize: 10_000,
      logLevel: 'log',
      runMode: 'all',
      transport: { kind: 'direct' },
      eventStore: { kind: 'sqlite', file: path.join(dataDir, 'events.sqlite') },
      readStore: { kind: 'sqlite', file: path.join(dataDir, 'read-models.sqlite') },
      projections: {
        mode: 'embedded',
        batchSize: 500,
        readWaitMs: 5000,
        churnWindowDays: 180,
        attributionWindowDays: 7,
        deadLetterAfter: 3,
      },
      logFormat: 'json',
      auth: {
        keyStoreFile: path.join(dataDir, 'api-keys.sqlite'),
        devKey: true,
        devKeyFile: path.join(dataDir, 'dev-api-key'),
      },
      privacy: {
        masterKeys: null,
        devMasterKeyFile: path.join(dataDir, 'master-key.dev'),
        blindIndexKey: null,
        devBlindIndexKeyFile: path.join(dataDir, 'blind-index-key.dev'),
        keyStore: { kind: 'sqlite', file: path.join(dataDir, 'keys.sqlite') },
      },
      analytics: { maxReplayEvents: 500_000, feed: { heartbeatMs: 15_000, stallMs: 30_000 } },
      webhooks: {
        maxAttempts: 8,
        retryBaseMs: 500,
        retryMaxMs: 60_000,
        timeoutMs: 10_000,
        autoPauseAfterMs: 6 * 60 * 60_000,
        concurrency: 8,
        pollMs: 250,
        allowInsecureTargets: false,
      },
      automations: {
        enabled: true,
        slaFirstResponseMinutes: { high: 60, normal: 240, low: 1440 },
        ownerQueue: 'support',
      },
    });
  });

  it('treats empty values as unset and falls back to the defaults', () => {
    const env: Env = {
      PORT: '',
      HOST: '',
      DATA_DIR: '',
      MAX_BODY_BYTES: '',
      MAX_BATCH_ITEMS: '',
      MAX_CLOCK_SKEW_MS: '',
      AGGREGATE_CACHE_SIZE: '',
      LOG_LEVEL: '',
      LOG_FORMAT: '',
      AUTH_DEV_KEY: '',
      ANALYTICS_MAX_REPLAY_EVENTS: '',
    };

    expect(loadConfig(env)).toEqual(loadConfig({}));
  });

  it('reads every setting from the given environment', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/crm',
      MAX_BODY_BYTES: '4096',
      MAX_BATCH_ITEMS: '50',
      MAX_CLOCK_SKEW_MS: '1000',
      AGGREGATE_CACHE_SIZE: '0',
      LOG_LEVEL: 'debug',
      PROJECTIONS: 'off',
      PROJECTION_BATCH_SIZE: '100',
      READ_WAIT_MS: '250',
      CHURN_WINDOW_DAYS: '90',
      CAMPAIGN_ATTRIBUTION_WINDOW_DAYS: '14',
      LOG_FORMAT: 'pretty',
      AUTH_DEV_KEY: 'false',
      ANALYTICS_MAX_REPLAY_EVENTS: '2000',
      FEED_HEARTBEAT_MS: '1000',
      FEED_STALL_MS: '2500',
      REQUEST_TIMEOUT_MS: '5000',
      IDLE_TIMEOUT_MS: '60000',
      KEEP_ALIVE_TIMEOUT_MS: '5000',
      SHUTDOWN_GRACE_MS: '0',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_RETRY_BASE_MS: '10',
      WEBHOOK_RETRY_MAX_MS: '200',
      WEBHOOK_TIMEOUT_MS: '300',
      WEBHOOK_AUTO_PAUSE_AFTER_MS: '5000',
      WEBHOOK_CONCURRENCY: '2',
      WEBHOOK_POLL_MS: '20',
      WEBHOOK_ALLOW_INSECURE_TARGETS: 'true',
      AUTOMATIONS: 'off',
      SLA_FIRST_RESPONSE_MINUTES_HIGH: '30',
      SLA_FIRST_RESPONSE_MINUTES_NORMAL: '120',
      SLA_FIRST_RESPONSE_MINUTES_LOW: '2880',
      SLA_OWNER_QUEUE: 'tier-2',
    });

    expect(config).toEqual<AppConfig>({
      port: 8080,
      host: '0.0.0.0',
      dataDir: path.resolve('/var/lib/crm'),
      maxBodyBytes: 4096,
      maxBatchItems: 50,
      http: { requestTimeoutMs: 5000, idleTimeoutMs: 60_000, keepAliveTimeoutMs: 5000, shutdownGraceMs: 0 },
      maxClockSkewMs: 1000,
      aggregateCacheSize: 0,
      logLevel: 'debug',
      runMode: 'all',
      transport: { kind: 'direct' },
      eventStore: { kind: 'sqlite', file: path.join(path.resolve('/var/lib/crm'), 'events.sqlite') },
      readStore: { kind: 'sqlite', file: path.join(path.resolve('/var/lib/crm'), 'read-models.sqlite') },
      projections: {
        mode: 'off',
        batchSize: 100,
        readWaitMs: 250,
        churnWindowDays: 90,
        attributionWindowDays: 14,
        deadLetterAfter: 3,
      },
      logFormat: 'pretty',
      auth: {
        keyStoreFile: path.join(path.resolve('/var/lib/crm'), 'api-keys.sqlite'),
        devKey: false,
        devKeyFile: path.join(path.resolve('/var/lib/crm'), 'dev-api-key'),
      },
      privacy: {
        masterKeys: null,
        devMasterKeyFile: path.join(path.resolve('/var/lib/crm'), 'master-key.dev'),
        blindIndexKey: null,
        devBlindIndexKeyFile: path.join(path.resolve('/var/lib/crm'), 'blind-index-key.dev'),
        keyStore: { kind: 'sqlite', file: path.join(path.resolve('/var/lib/crm'), 'keys.sqlite') },
      },
      analytics: { maxReplayEvents: 2000, feed: { heartbeatMs: 1000, stallMs: 2500 } },
      webhooks: {
        maxAttempts: 3,
        retryBaseMs: 10,
        retryMaxMs: 200,
        timeoutMs: 300,
        autoPauseAfterMs: 5000,
        concurrency: 2,
        pollMs: 20,
        allowInsecureTargets: true,
      },
      automations: {
        enabled: false,
        slaFirstResponseMinutes: { high: 30, normal: 120, low: 2880 },
        ownerQueue: 'tier-2',
      },
    });
  });

  it('resolves a relative DATA_DIR to an absolute path holding the event store file', () => {
    const config = loadConfig({ DATA_DIR: 'tmp/crm' });

    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(config.dataDir).toBe(path.resolve('tmp/crm'));
    expect(config.eventStore).toMatchObject({ file: path.join(config.dataDir, 'events.sqlite') });
  });

  describe('engines and run modes', () => {
    it('chooses KurrentDB, MongoDB and Kafka by their URLs, keeping the URLs secret', () => {
      const config = loadConfig({
        EVENTSTORE_URL: 'kurrentdb://admin:changeit@127.0.0.1:2113?tls=false',
        MONGODB_URL: 'mongodb://user:pw@127.0.0.1:27017/',
        MONGODB_DATABASE: 'crm_prod',
        KAFKA_BROKERS: '127.0.0.1:9092',
        RUN_MODE: 'relay',
      });

      expect(config.runMode).toBe('relay');
      expect(config.transport).toEqual({ kind: 'kafka' });
      expect(config.eventStore.kind).toBe('kurrent');
      expect(config.readStore).toMatchObject({ kind: 'mongodb', database: 'crm_prod' });
      if (config.eventStore.kind !== 'kurrent' || config.readStore.kind !== 'mongodb')
        throw new Error('narrowing');
      expect(config.eventStore.url.reveal()).toBe('kurrentdb://admin:changeit@127.0.0.1:2113?tls=false');
      expect(config.readStore.url.reveal()).toBe('mongodb://user:pw@127.0.0.1:27017/');
      expect(JSON.stringify(config)).not.toContain('changeit');
      expect(JSON.stringify(config)).not.toContain('pw@');
    });

    it.each(['all', 'api', 'projector', 'webhooks'])('accepts RUN_MODE %s without Kafka', (mode) => {
      expect(loadConfig({ RUN_MODE: mode }).runMode).toBe(mode);
    });

    it('rejects a relay without Kafka, unknown modes and URLs of the wrong scheme, naming no secret', () => {
      const problems = problemsOf({
        RUN_MODE: 'relay',
        EVENTSTORE_URL: 'http://secret-host:2113',
        MONGODB_URL: 'postgres://u:hunter2@db/',
        MONGODB_DATABASE: 'a.b',
      });

      expect(problems).toEqual([
        'EVENTSTORE_URL must be a kurrentdb:// or kurrentdb+discover:// or esdb:// or esdb+discover:// URL',
        'MONGODB_URL must be a mongodb:// or mongodb+srv:// URL',
        'RUN_MODE=relay publishes to Kafka: set KAFKA_BROKERS',
        'MONGODB_DATABASE must be 1-63 letters, digits, _ or -, got "a.b"',
      ]);
      expect(problemsOf({ RUN_MODE: 'worker' })).toEqual([
        'RUN_MODE must be one of all, api, relay, projector, webhooks, automations, got "worker"',
      ]);
    });
  });

  it('refuses a feed heartbeat at or above the idle timeout, which would close idle feeds', () => {
    expect(() => loadConfig({ FEED_HEARTBEAT_MS: '60000', IDLE_TIMEOUT_MS: '60000' })).toThrow(
      /FEED_HEARTBEAT_MS must be below IDLE_TIMEOUT_MS/,
    );
    expect(
      loadConfig({ FEED_HEARTBEAT_MS: '59999', IDLE_TIMEOUT_MS: '60000' }).analytics.feed.heartbeatMs,
    ).toBe(59_999);
  });

  it('refuses RUN_MODE=automations with AUTOMATIONS=off, and service-level settings out of range', () => {
    expect(() => loadConfig({ RUN_MODE: 'automations', AUTOMATIONS: 'off' })).toThrow(
      'RUN_MODE=automations runs the automations: unset AUTOMATIONS=off',
    );
    expect(() => loadConfig({ AUTOMATIONS: 'yes' })).toThrow('AUTOMATIONS must be one of on, off, got "yes"');
    expect(() => loadConfig({ SLA_FIRST_RESPONSE_MINUTES_HIGH: '0' })).toThrow(
      'SLA_FIRST_RESPONSE_MINUTES_HIGH must be an integer between 1 and 527040, got "0"',
    );
    expect(() => loadConfig({ SLA_OWNER_QUEUE: 'two words' })).toThrow(/- SLA_OWNER_QUEUE must be 1-128/);
    expect(loadConfig({ RUN_MODE: 'automations' }).runMode).toBe('automations');
  });

  it('checks RUN_MODE=relay against KAFKA_BROKERS also when other variables are invalid', () => {
    expect(problemsOf({ RUN_MODE: 'relay', PORT: 'x', LOG_LEVEL: 'loud', AUTH_DEV_KEY: 'yes' })).toEqual([
      'PORT must be an integer between 0 and 65535, got "x"',
      'LOG_LEVEL must be one of error, warn, log, debug, verbose, got "loud"',
      'RUN_MODE=relay publishes to Kafka: set KAFKA_BROKERS',
      'AUTH_DEV_KEY must be one of true, false, got "yes"',
    ]);
  });

  it.each([
    ['PROJECTIONS', 'maybe'],
    ['PROJECTION_BATCH_SIZE', '0'],
    ['READ_WAIT_MS', '60001'],
    ['CHURN_WINDOW_DAYS', '3651'],
    ['CAMPAIGN_ATTRIBUTION_WINDOW_DAYS', '0'],
    ['CAMPAIGN_ATTRIBUTION_WINDOW_DAYS', '366'],
    ['DEAD_LETTER_AFTER', '101'],
    ['REQUEST_TIMEOUT_MS', '99'],
    ['IDLE_TIMEOUT_MS', '999'],
    ['KEEP_ALIVE_TIMEOUT_MS', String(10 * 60_000 + 1)],
    ['SHUTDOWN_GRACE_MS', ' 5'],
  ])('rejects %s=%s too, naming it and the value', (name, raw) => {
    const problems = problemsOf({ [name]: raw });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name} must be .*, got "${raw}"$`));
  });

  it.each(['error', 'warn', 'log', 'debug', 'verbose'])('accepts LOG_LEVEL %s', (level) => {
    expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it.each([
    ['PORT', '0', 'port', 0],
    ['PORT', '65535', 'port', 65535],
    ['MAX_BODY_BYTES', '1024', 'maxBodyBytes', 1024],
    ['MAX_BODY_BYTES', String(64 * 1024 * 1024), 'maxBodyBytes', 64 * 1024 * 1024],
    ['MAX_BATCH_ITEMS', '1', 'maxBatchItems', 1],
    ['MAX_BATCH_ITEMS', '10000', 'maxBatchItems', 10_000],
    ['MAX_CLOCK_SKEW_MS', '0', 'maxClockSkewMs', 0],
    ['MAX_CLOCK_SKEW_MS', String(24 * 60 * 60 * 1000), 'maxClockSkewMs', 24 * 60 * 60 * 1000],
    ['AGGREGATE_CACHE_SIZE', '0', 'aggregateCacheSize', 0],
    ['AGGREGATE_CACHE_SIZE', '10000000', 'aggregateCacheSize', 10_000_000],
  ] as const)('accepts %s=%s, a bound of its range', (name, raw, key, value) => {
    expect(loadConfig({ [name]: raw })[key]).toBe(value);
  });

  it.each([
    ['PORT', '-1'],
    ['PORT', '65536'],
    ['PORT', 'http'],
    ['PORT', '80.5'],
    ['MAX_BODY_BYTES', '1023'],
    ['MAX_BODY_BYTES', String(64 * 1024 * 1024 + 1)],
    ['MAX_BATCH_ITEMS', '0'],
    ['MAX_BATCH_ITEMS', '10001'],
    ['MAX_CLOCK_SKEW_MS', '-1'],
    ['MAX_CLOCK_SKEW_MS', String(24 * 60 * 60 * 1000 + 1)],
    ['AGGREGATE_CACHE_SIZE', '-1'],
    ['AGGREGATE_CACHE_SIZE', 'lots'],
    ['LOG_LEVEL', 'trace'],
    ['LOG_LEVEL', 'ERROR'],
    ['LOG_FORMAT', 'xml'],
    ['AUTH_DEV_KEY', 'yes'],
    ['ANALYTICS_MAX_REPLAY_EVENTS', '0'],
    ['ANALYTICS_MAX_REPLAY_EVENTS', '1000000001'],
    ['ANALYTICS_MAX_REPLAY_EVENTS', '1e6'],
    ['PORT', '99999999999999999999'],
  ])('rejects %s=%s with one problem naming the variable and the value', (name, raw) => {
    const problems = problemsOf({ [name]: raw });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
    expect(problems[0]).toContain(`"${raw}"`);
  });

  it.each([
    ['1', 1],
    ['1000000000', 1_000_000_000],
  ])('accepts ANALYTICS_MAX_REPLAY_EVENTS=%s, a bound of its range', (raw, value) => {
    expect(loadConfig({ ANALYTICS_MAX_REPLAY_EVENTS: raw }).analytics.maxReplayEvents).toBe(value);
  });

  it('states the allowed range or values in each problem', () => {
    expect(problemsOf({ PORT: '70000' })).toEqual([
      'PORT must be an integer between 0 and 65535, got "70000"',
    ]);
    expect(problemsOf({ LOG_LEVEL: 'loud' })).toEqual([
      'LOG_LEVEL must be one of error, warn, log, debug, verbose, got "loud"',
    ]);
  });

  it('reports every invalid value at once, in one ConfigError', () => {
    const env: Env = {
      PORT: 'x',
      MAX_BODY_BYTES: '1',
      MAX_BATCH_ITEMS: '0',
      MAX_CLOCK_SKEW_MS: '-5',
      AGGREGATE_CACHE_SIZE: '1.5',
      LOG_LEVEL: 'chatty',
      HOST: 'example.org',
    };

    const problems = problemsOf(env);

    const named = [
      'PORT',
      'MAX_BODY_BYTES',
      'MAX_BATCH_ITEMS',
      'MAX_CLOCK_SKEW_MS',
      'AGGREGATE_CACHE_SIZE',
      'LOG_LEVEL',
    ];
    expect(problems).toHaveLength(named.length);
    for (const name of named)
      expect(problems.filter((problem) => problem.startsWith(`${name} `))).toHaveLength(1);
  });

  it('lists every problem in the error message, one per line', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y' });
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }

    expect(message.split('\n')).toEqual([
      'Invalid configuration:',
      '  - PORT must be an integer between 0 and 65535, got "x"',
      '  - LOG_LEVEL must be one of error, warn, log, debug, verbose, got "y"',
    ]);
  });

  it('names the error ConfigError so that the entry point can print it without a stack', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'x' });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).name).toBe('ConfigError');
  });

  it('keeps the API keys and the dev key file in DATA_DIR', () => {
    const { auth } = loadConfig({ DATA_DIR: '/srv/crm' });

    expect(path.dirname(auth.keyStoreFile)).toBe(path.resolve('/srv/crm'));
    expect(path.dirname(auth.devKeyFile)).toBe(path.resolve('/srv/crm'));
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ SOMETHING_ELSE: 'whatever', PATH: '/bin' })).toEqual(loadConfig({}));
  });
});

describe('MASTER_KEYS', () => {
  const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

  it('reads the keys in order, the first being current, and keeps each key secret', () => {
    const { privacy } = loadConfig({ MASTER_KEYS: `2026-b:${key(2)}, 2025-a:${key(1)}` });
    expect(privacy.masterKeys?.map((entry) => entry.id)).toEqual(['2026-b', '2025-a']);
    expect(privacy.masterKeys?.[1]?.key.reveal()).toBe(key(1));
    expect(JSON.stringify(privacy)).not.toContain(key(1));
  });

  it('treats a blank value as unset', () => {
    expect(loadConfig({ MASTER_KEYS: '  ', BLIND_INDEX_KEY: ' ' }).privacy).toMatchObject({
      masterKeys: null,
      blindIndexKey: null,
    });
  });

  it('reports malformed, short and repeated keys without printing them', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    const problems = problemsOf({ MASTER_KEYS: `nokey,a:${short},b:${key(3)},b:${key(4)}` });
    expect(problems).toEqual([
      'MASTER_KEYS entry 1 must look like id:base64key (id: letters, digits, _ . -)',
      'MASTER_KEYS key "a" must be 32 bytes in base64 (openssl rand -base64 32)',
      'MASTER_KEYS names key "b" twice',
    ]);
    expect(problems.join(' ')).not.toContain(short);
  });
});

describe('BLIND_INDEX_KEY', () => {
  const key = Buffer.alloc(32, 9).toString('base64');

  it('is kept secret, and unset means the development key file in DATA_DIR', () => {
    const { privacy } = loadConfig({ BLIND_INDEX_KEY: key, DATA_DIR: '/tmp/crm-x' });
    expect(privacy.blindIndexKey?.reveal()).toBe(key);
    expect(JSON.stringify(privacy)).not.toContain(key);
    const unset = loadConfig({ DATA_DIR: '/tmp/crm-x' }).privacy;
    expect(unset.blindIndexKey).toBeNull();
    expect(unset.devBlindIndexKeyFile).toBe('/tmp/crm-x/blind-index-key.dev');
  });

  it('must be 32 bytes in base64, and the problem does not print the value', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    expect(problemsOf({ BLIND_INDEX_KEY: short })).toEqual([
      'BLIND_INDEX_KEY must be 32 bytes in base64 (openssl rand -base64 32)',
    ]);
    expect(problemsOf({ BLIND_INDEX_KEY: 'not base64!' })).toHaveLength(1);
  });
});

describe('Secret', () => {
  it('reveals its value only when asked', () => {
    expect(new Secret('hunter2').reveal()).toBe('hunter2');
  });

  it('hides its value from string conversion, templates and JSON', () => {
    const secret = new Secret('hunter2');

    expect(String(secret)).toBe('[secret]');
    expect(`${secret.toString()}`).toBe('[secret]');
    expect(JSON.stringify({ password: secret })).toBe('{"password":"[secret]"}');
    expect(Object.keys(secret)).toEqual([]);
  });
});
