import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');
const REGISTER_TS = join(ROOT, 'test', 'support', 'register-ts.js');

/** The packages under node_modules that requiring `files` loads, in a fresh process. */
function packagesLoadedBy(files: readonly string[]): string[] {
  const script = `
    for (const file of ${JSON.stringify(files)}) require(file);
    const names = new Set();
    for (const path of Object.keys(require.cache)) {
      const match = /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(path);
      if (match) names.add(match[1].replace('\\\\', '/'));
    }
    process.stdout.write(JSON.stringify([...names]));`;
  const output = execFileSync(process.execPath, ['-r', REGISTER_TS, '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[];
}

/** The modules a source file loads at run time (type-only imports are erased). */
function runtimeImportsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^import (?!type )[^;]*?from '([^']+)';/gms)].map((match) => match[1] ?? '');
}

const HEAVY = [
  '@nestjs/core',
  '@nestjs/common',
  'class-validator',
  'mongodb',
  '@kurrent/kurrentdb-client',
  'kafkajs',
];

/**
 * Each thread of `crm rebuild --workers N` loads its own copy of the code
 * before it can build anything, so what it loads is paid N times per
 * rebuild: the worker stays on the light entry points (no Nest, no
 * production drivers).
 */
describe("a rebuild worker thread's code", () => {
  const worker = join(__dirname, 'rebuild.worker.ts');

  it('imports only the light entry points', () => {
    expect(runtimeImportsOf(worker).sort()).toEqual(
      ['../support/stores', '@crm/analytics/rebuild', 'node:stream'].sort(),
    );
  });

  it('loads neither Nest nor the production drivers', () => {
    const loaded = packagesLoadedBy([
      join(__dirname, '..', 'support', 'stores.ts'),
      join(ROOT, 'libs', 'analytics', 'src', 'rebuild', 'index.ts'),
    ]);
    expect(loaded).toContain('better-sqlite3');
    for (const heavy of HEAVY) expect(loaded).not.toContain(heavy);
  });

  it('would see them if the full library entry points were imported', () => {
    const loaded = packagesLoadedBy([
      join(ROOT, 'libs', 'analytics', 'src', 'index.ts'),
      join(ROOT, 'libs', 'read-store', 'src', 'mongo', 'index.ts'),
    ]);
    expect(loaded).toEqual(expect.arrayContaining(['@nestjs/common', 'mongodb']));
  });
});
