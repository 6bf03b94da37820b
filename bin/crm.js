#!/usr/bin/env node
// `crm`, the bin of the bin/ workspace (`npx crm <command>`, linked into node_modules/.bin by npm ci): runs the BUILT CLI and never builds, so it
// starts at once; `npm run build` makes dist/ (`npm run crm -- <command>` builds, then runs it).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const process = require('node:process');

const built = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (existsSync(built)) {
  // V8's code cache for every module loaded from here on (Node's own directory under the OS temp
  // dir; NODE_COMPILE_CACHE names another): a command's second start skips compiling its modules.
  require('node:module').enableCompileCache?.();
  require(built).main();
} else {
  process.stderr.write(`crm: ${built} does not exist: run \`npm run build\` first\n`);
  process.exitCode = 1;
}
