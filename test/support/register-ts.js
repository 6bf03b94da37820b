/**
 * Lets a plain `node` child process (a crash test's victim) run our
 * TypeScript sources: transpiles .ts on require and resolves the @crm/*
 * path aliases of tsconfig.base.json. Test support only; the product runs
 * the compiled build. Usage: node -r ./test/support/register-ts.js child.ts
 */
const Module = require('node:module');
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { pid } = require('node:process');
const ts = require('typescript');

// Transpiled output by content: a crash test restarts its child dozens of times, and each
// start would otherwise transpile the same few hundred files again.
const cacheDir = join(tmpdir(), `crm-register-ts-${ts.version}`);
mkdirSync(cacheDir, { recursive: true });

const root = join(__dirname, '..', '..');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
const aliases = Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, join(root, target)]);

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  const match = aliases.find(([alias]) => request === alias);
  return resolve.call(this, match ? match[1] : request, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const source = readFileSync(filename, 'utf8');
  const cached = join(
    cacheDir,
    createHash('sha256').update(filename).update('\0').update(source).digest('hex'),
  );
  const hit = readCached(cached);
  if (hit !== null) {
    module._compile(hit, filename);
    return;
  }
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  });
  // Written aside and renamed, so a process killed mid-write leaves no half file behind.
  const partial = `${cached}.${pid}`;
  writeFileSync(partial, outputText);
  renameSync(partial, cached);
  module._compile(outputText, filename);
};

function readCached(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw error;
  }
}
