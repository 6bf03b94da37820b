import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * Running from TypeScript sources (jest, ts tools) there is no compiled
 * worker file, and a worker thread cannot load .ts. So the event-store
 * sources are transpiled once into node_modules/.cache (where module
 * resolution still finds better-sqlite3), keyed by their content hash.
 * The compiled build never comes here.
 */
let cached: string | undefined;

export function transpiledWorkerFromSources(): string {
  cached ??= transpile();
  return cached;
}

function transpile(): string {
  const root = dirname(__dirname); // libs/event-store/src
  const sources = [
    ...readdirSync(root).filter(isSource),
    ...readdirSync(join(root, 'sqlite'))
      .filter(isSource)
      .map((name) => join('sqlite', name)),
  ];
  const hash = createHash('sha256');
  sources.forEach((source) => hash.update(source).update(readFileSync(join(root, source))));
  const nodeModules = dirname(dirname(require.resolve('better-sqlite3/package.json')));
  const outDir = join(nodeModules, '.cache', 'crm-sqlite-writer', hash.digest('hex').slice(0, 16));
  const entry = join(outDir, 'sqlite', 'sqlite-writer.worker.js');
  if (existsSync(entry)) return entry;

  // Loaded lazily: only this development path needs the compiler.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const staging = `${outDir}.${process.pid}.tmp`;
  for (const source of sources) {
    const { outputText } = ts.transpileModule(readFileSync(join(root, source), 'utf8'), {
      fileName: source,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const target = join(staging, relative('.', source).replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  try {
    renameSync(staging, outDir); // atomic: concurrent jest workers never see half a tree
  } catch {
    if (!existsSync(entry)) throw new Error(`Could not prepare the writer thread in ${outDir}`);
  }
  return entry;
}

function isSource(name: string): boolean {
  return name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.includes('spec');
}
