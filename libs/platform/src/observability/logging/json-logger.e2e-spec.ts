import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const REGISTER_TS = join(__dirname, '..', '..', '..', '..', '..', 'test', 'support', 'register-ts.js');
const LOGGER = join(__dirname, 'json-logger.ts');

/** Runs `script` in a fresh node process with the logger loaded; returns what it wrote to stdout (a pipe). */
function stdoutOf(script: string): string {
  const program = `const { JsonLogger } = require(${JSON.stringify(LOGGER)});\n${script}`;
  return execFileSync(process.execPath, ['-r', REGISTER_TS, '-e', program], { encoding: 'utf8' });
}

describe('JsonLogger on stdout', () => {
  it('writes every line, in order, even when the process exits right after logging', () => {
    const output = stdoutOf(`
      const logger = new JsonLogger({ level: 'log', format: 'json' });
      for (let i = 0; i < 5000; i++) logger.log({ message: 'line', i }, 'Test');
      process.exit(0);
    `);

    const lines = output.trimEnd().split('\n');
    expect(lines).toHaveLength(5000);
    expect(lines.map((line) => (JSON.parse(line) as { i: number }).i)).toEqual(
      Array.from({ length: 5000 }, (_, i) => i),
    );
  });

  it('shares one destination between loggers, so their lines do not interleave out of order', () => {
    const output = stdoutOf(`
      const a = new JsonLogger({ level: 'log', format: 'json' });
      const b = new JsonLogger({ level: 'log', format: 'json' });
      a.log('first', 'A');
      b.log('second', 'B');
      a.log('third', 'A');
    `);

    expect(
      output
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { message: string }).message),
    ).toEqual(['first', 'second', 'third']);
  });
});
