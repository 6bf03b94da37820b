import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiKeys, parseApiKey, SqliteApiKeyStore } from '@crm/platform';

const ROOT = join(__dirname, '..', '..', '..');
const REGISTER_TS = join(ROOT, 'test', 'support', 'register-ts.js');
const LAUNCHER = join(ROOT, 'bin', 'crm.js');

type Exit = { readonly code: number; readonly stdout: string; readonly stderr: string };

/** Runs node with these arguments as its own process; resolves however it exits. */
async function node(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Exit> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/**
 * The CLI as a process, what `KEY=$(npx crm keys create …)` captures: stdout
 * holds the key and nothing else, whatever the modules it loads print. (The
 * built bin itself is run the same way by `npm run smoke`.)
 */
describe('crm as a process', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'crm-process-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('prints only the new key on stdout for keys create, and the key works', async () => {
    const dataDir = join(root, 'data');

    const created = await node(
      [
        '-r',
        REGISTER_TS,
        join(ROOT, 'apps', 'cli', 'src', 'main.ts'),
        'keys',
        'create',
        '--name',
        'ci',
        '--roles',
        'read',
      ],
      { DATA_DIR: dataDir },
    );

    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^\S+\n$/);
    const key = created.stdout.trimEnd();
    expect(parseApiKey(key)).not.toBeNull();
    expect(created.stderr).toContain('"ci"');
    const store = SqliteApiKeyStore.open(join(dataDir, 'api-keys.sqlite'));
    try {
      expect((await new ApiKeys(store, () => new Date()).authenticate(key))?.roles).toEqual(['read']);
    } finally {
      await store.close();
    }
  });

  it('says to build first when the launcher finds no build, printing nothing on stdout', async () => {
    const checkout = join(root, 'checkout');
    mkdirSync(join(checkout, 'bin'), { recursive: true });
    copyFileSync(LAUNCHER, join(checkout, 'bin', 'crm.js'));

    const run = await node([join(checkout, 'bin', 'crm.js'), '--help'], {});

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('run `npm run build` first');
  });
});
