import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ApiKeys, type MasterKeyConfig, parseApiKey, SqliteApiKeyStore } from '@crm/platform';
import { DataKeys, MasterKeyring, SqliteKeyStore } from '@crm/privacy/encryption';
import { masterKey } from '@crm/privacy/testing';
import type { CliIo } from '../cli-command';
import { KeysCommand } from './keys.command';

type Run = { readonly code: number; readonly stdout: string; readonly stderr: string };

describe('crm keys', () => {
  let dataDir: string;
  const command = new KeysCommand();

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-cli-keys-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function run(...args: string[]): Promise<Run> {
    return runWith({}, ...args);
  }

  async function runWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: string[] = [];
    const err: string[] = [];
    stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
    stderr.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
    const io: CliIo = {
      stdout,
      stderr,
      stdin: new PassThrough(),
      env: { DATA_DIR: dataDir, ...env },
      interactive: false,
    };
    const code = await command.run(args, io);
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  /** What the API would make of a key: the same store file, read by the same code. */
  async function authenticate(key: string): Promise<readonly string[] | null> {
    const store = SqliteApiKeyStore.open(join(dataDir, 'api-keys.sqlite'));
    const record = await new ApiKeys(store, () => new Date()).authenticate(key);
    await store.close();
    return record ? record.roles : null;
  }

  it('creates a key, prints it once on stdout, and the key works', async () => {
    const created = await run('create', '--name', 'importer', '--roles', 'read,ingest');

    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(parseApiKey(key)).not.toBeNull();
    expect(created.stderr).toContain('importer');
    expect(created.stderr).not.toContain(key);
    expect(await authenticate(key)).toEqual(['read', 'ingest']);
  });

  it('lists keys with id, name, roles and dates, never a secret', async () => {
    const key = (await run('create', '--name=ops', '--roles=admin')).stdout.trim();
    const id = parseApiKey(key)?.id ?? '';

    const listed = await run('list');

    expect(listed.code).toBe(0);
    const [header, line] = listed.stdout.trim().split('\n');
    expect(header?.split(/\s+/)).toEqual(['ID', 'NAME', 'ROLES', 'CREATED', 'REVOKED']);
    expect(line?.split(/\s+/)).toEqual([id, 'ops', 'admin', expect.stringMatching(/^\d{4}-/) as string, '-']);
    expect(listed.stdout).not.toContain(parseApiKey(key)?.secret);
  });

  it('revokes a key by id: it stops working and the list says since when', async () => {
    const key = (await run('create', '--name', 'old', '--roles', 'read')).stdout.trim();
    const id = parseApiKey(key)?.id ?? '';

    const revoked = await run('revoke', id);

    expect(revoked.code).toBe(0);
    expect(await authenticate(key)).toBeNull();
    expect((await run('list')).stdout).toMatch(new RegExp(`${id}\\s+old\\s+read\\s+\\S+\\s+\\d{4}-`));
  });

  it('fails revoking a key that does not exist', async () => {
    const result = await run('revoke', 'ffffffffffffffff');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No key ffffffffffffffff');
  });

  it.each([
    ['no action', []],
    ['an unknown action', ['rotate']],
    ['create without roles', ['create', '--name', 'x']],
    ['an unknown role', ['create', '--name', 'x', '--roles', 'read,owner']],
    ['an unknown option', ['create', '--name', 'x', '--roles', 'read', '--ttl', '3']],
    ['revoke without an id', ['revoke']],
    ['list with arguments', ['list', 'all']],
    ['rotate-master with arguments', ['rotate-master', 'now']],
  ])('answers %s with the usage and exit code 2, creating nothing', async (_label, args) => {
    const result = await run(...args);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage:');
    expect((await run('list')).stdout).toBe('');
  });

  it('reports an invalid configuration as a failure, naming the setting', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const err: string[] = [];
    stderr.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
    const io: CliIo = { stdout, stderr, stdin: new PassThrough(), env: { PORT: 'x' }, interactive: false };

    expect(await command.run(['list'], io)).toBe(1);
    expect(err.join('')).toContain('PORT must be an integer');
  });

  describe('rotate-master', () => {
    const old = masterKey('2025');
    const next = masterKey('2026');
    const masterKeys = (...keys: MasterKeyConfig[]): NodeJS.ProcessEnv => ({
      MASTER_KEYS: keys.map(({ id, key }) => `${id}:${key.reveal()}`).join(','),
    });

    /** The data keys of these customers in DATA_DIR/keys.sqlite, unwrapped with only these master keys. */
    async function dataKeys(
      keys: readonly MasterKeyConfig[],
      customers: readonly string[],
    ): Promise<Buffer[]> {
      const store = await SqliteKeyStore.open({ file: join(dataDir, 'keys.sqlite') });
      try {
        const dataKeys = new DataKeys(store, MasterKeyring.of(keys), { cacheSize: 0 });
        return await Promise.all(customers.map((customer) => dataKeys.forWriting(customer)));
      } finally {
        await store.close();
      }
    }

    it('rewraps every data key under the first master key, so the old one can be removed', async () => {
      const before = await dataKeys([old], ['ada', 'bob', 'cy']);

      const rotated = await runWith(masterKeys(next, old), 'rotate-master');

      expect(rotated.code).toBe(0);
      expect(JSON.parse(rotated.stdout)).toEqual({ rewrapped: 3, currentMasterKeyId: '2026' });
      expect(rotated.stderr).toContain('master key 2026');
      expect(await dataKeys([next], ['ada', 'bob', 'cy'])).toEqual(before);
    });

    it('rewraps nothing the second time', async () => {
      await dataKeys([old], ['ada']);
      await runWith(masterKeys(next, old), 'rotate-master');

      const again = await runWith(masterKeys(next, old), 'rotate-master');

      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toEqual({ rewrapped: 0, currentMasterKeyId: '2026' });
    });

    it('fails naming a master key that wraps data keys but is not configured, changing nothing', async () => {
      const before = await dataKeys([old], ['ada']);

      const refused = await runWith(masterKeys(next), 'rotate-master');

      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain('2025');
      expect(await dataKeys([old], ['ada'])).toEqual(before);
    });
  });
});
