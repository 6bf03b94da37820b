import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// The YAML parser @nestjs/swagger depends on (pinned there): no package of our own for one test.
import { load } from 'js-yaml';
import { loadConfig, RUN_MODES } from '@crm/platform';
import { readKafkaConfig } from '@crm/transport-kafka';

/**
 * docker-compose.yml and the Dockerfile against the code: every variable an
 * app service sets is one the configuration reads (a renamed variable fails
 * here, not silently in a container), the values pass the config's own
 * validation, and the healthchecks, the command and the wiring between the
 * services point at things that exist.
 */
const ROOT = join(__dirname, '..', '..', '..');
const APP_SERVICES = ['api', 'relay', 'projector', 'webhooks', 'automations'] as const;
/** The webhooks and automations processes follow the event store's log themselves: they have no use for Kafka. */
const USES_KAFKA: readonly string[] = ['api', 'relay', 'projector'];
const HEALTHCHECK = ['CMD', 'node', 'dist/apps/api/src/healthcheck.js'];
/** Stands in for the operator's MASTER_KEYS when the file is interpolated. */
const TEST_MASTER_KEYS = `main:${Buffer.alloc(32, 7).toString('base64')}`;

type Env = Readonly<Record<string, string | undefined>>;
type Service = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, what: string): Readonly<Record<string, unknown>> {
  if (!isRecord(value)) throw new Error(`${what} is not a mapping`);
  return value;
}

const compose = record(load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')), 'docker-compose.yml');
const services = record(compose['services'], 'services');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

function service(name: string): Service {
  return record(services[name], `service ${name}`);
}

/** The environment as written (a mapping; values as strings). */
function environmentOf(name: string): Record<string, string> {
  const environment = record(service(name)['environment'], `${name}.environment`);
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value)]));
}

/** Compose's interpolation of `${NAME}`, `${NAME:-default}` and `${NAME:?message}` from `shell`. */
function interpolate(value: string, shell: Env): string {
  return value.replace(
    /\$\{([A-Z_][A-Z0-9_]*)(?::([?-])([^}]*))?\}/g,
    (_match, name: string, kind: string | undefined, rest: string | undefined) => {
      const given = shell[name];
      if (given !== undefined && given !== '') return given;
      if (kind === '-') return String(rest);
      if (kind === '?') throw new Error(`required variable ${name} is missing a value: ${String(rest)}`);
      return '';
    },
  );
}

/** The variable names a reader looks at, found by handing it an environment that notes each name asked for. */
function namesRead(reader: (env: Env) => unknown, values: Env = {}): Set<string> {
  const names = new Set<string>();
  const env = new Proxy<Env>(
    {},
    {
      get: (_target, key) => {
        if (typeof key !== 'string') return undefined;
        names.add(key);
        return values[key];
      },
    },
  );
  try {
    reader(env);
  } catch {
    // An invalid or missing value (KAFKA_BROKERS is required) throws after every name was read.
  }
  return names;
}

/** What the app's configuration reads: loadConfig and the Kafka settings, on the defaults and on `values`. */
function configVariables(values: Env): Set<string> {
  return new Set([
    ...namesRead(loadConfig),
    ...namesRead(loadConfig, values),
    ...namesRead(readKafkaConfig),
    ...namesRead(readKafkaConfig, values),
  ]);
}

describe('docker-compose.yml and the Dockerfile', () => {
  it('the configuration reads every variable it is tested against (the check below can fail)', () => {
    const read = configVariables({});

    for (const name of [
      'PORT',
      'HOST',
      'RUN_MODE',
      'MONGODB_URL',
      'EVENTSTORE_URL',
      'KAFKA_BROKERS',
      'MASTER_KEYS',
    ]) {
      expect(read).toContain(name);
    }
    expect(read).not.toContain('MONGO_URL');
  });

  describe.each(APP_SERVICES)('service %s', (name) => {
    const written = environmentOf(name);
    const env = Object.fromEntries(
      Object.entries(written).map(([key, value]) => [
        key,
        interpolate(value, { MASTER_KEYS: TEST_MASTER_KEYS }),
      ]),
    );

    it('sets only variables the configuration reads', () => {
      const known = configVariables(env);

      expect(Object.keys(written).filter((key) => !known.has(key))).toEqual([]);
    });

    it('passes the configuration: its run mode, on KurrentDB, Kafka (where it uses it) and MongoDB', () => {
      const config = loadConfig(env);

      expect(RUN_MODES).toContain(name);
      expect(config.runMode).toBe(name);
      expect(config.eventStore.kind).toBe('kurrent');
      expect(config.transport.kind).toBe(USES_KAFKA.includes(name) ? 'kafka' : 'direct');
      expect(config.readStore.kind).toBe('mongodb');
      expect(config.privacy.masterKeys).not.toBeNull();
      if (USES_KAFKA.includes(name)) expect(() => readKafkaConfig(env)).not.toThrow();
    });

    it('takes MASTER_KEYS from the operator, never from the file', () => {
      expect(written['MASTER_KEYS']).toMatch(/^\$\{MASTER_KEYS:\?[^}]+\}$/);
      expect(() => interpolate(written['MASTER_KEYS'] ?? '', {})).toThrow(/required variable MASTER_KEYS/);
    });

    it('reaches the engines by their service names, Kafka on the listener it advertises to containers', () => {
      const kafka = environmentOf('kafka');

      expect(new URL(env['EVENTSTORE_URL'] ?? '').hostname).toBe('kurrentdb');
      expect(new URL(env['MONGODB_URL'] ?? '').hostname).toBe('mongodb');
      if (!USES_KAFKA.includes(name)) return;
      for (const broker of readKafkaConfig(env).brokers) {
        expect(kafka['KAFKA_ADVERTISED_LISTENERS']?.split(',')).toContainEqual(
          expect.stringMatching(`://${broker}$`),
        );
      }
    });

    it('runs the one image, with the DATA_DIR volume shared by all of them (the key store is in it)', () => {
      const own = service(name);

      expect(own['image']).toBe(service('api')['image']);
      expect(own['volumes']).toEqual([`crm-data:${env['DATA_DIR']}`]);
      expect(Object.keys(record(compose['volumes'], 'volumes'))).toContain('crm-data');
    });

    it('is checked healthy by GET /health/ready with node, and starts after healthy engines', () => {
      const own = service(name);
      const dependsOn = record(own['depends_on'], `${name}.depends_on`);

      expect(record(own['healthcheck'], `${name}.healthcheck`)['test']).toEqual(HEALTHCHECK);
      expect(Object.keys(dependsOn).length).toBeGreaterThan(0);
      for (const [dependency, condition] of Object.entries(dependsOn)) {
        expect(condition).toEqual({ condition: 'service_healthy' });
        expect(service(dependency)['healthcheck']).toBeDefined();
      }
    });
  });

  it('builds the image in the api service only, which listens on 0.0.0.0 behind a loopback port', () => {
    const api = service('api');
    const env = environmentOf('api');

    expect(APP_SERVICES.filter((name) => service(name)['build'] !== undefined)).toEqual(['api']);
    expect(env['HOST']).toBe('0.0.0.0');
    expect(api['ports']).toEqual([`127.0.0.1:${env['PORT']}:${env['PORT']}`]);
  });

  it('the Dockerfile runs what `npm start` runs, as a non-root user, with the same healthcheck', () => {
    const start = record(
      record(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')), 'package.json')['scripts'],
      'scripts',
    )['start'];
    const cmd = /^CMD \["node", "([^"]+)"\]$/m.exec(dockerfile)?.[1];

    expect(String(start)).toContain(`node ${cmd}`);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain(`CMD ${JSON.stringify(HEALTHCHECK.slice(1)).replace(/,/g, ', ')}`);
    // The compiled healthcheck comes from this source file.
    expect(existsSync(join(ROOT, 'apps', 'api', 'src', 'healthcheck.ts'))).toBe(true);
  });
});
