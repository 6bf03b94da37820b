import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const REGISTER_TS = join(__dirname, '..', '..', '..', '..', '..', 'test', 'support', 'register-ts.js');
const FILTER = join(__dirname, 'negative-timeout-warning.ts');
/** Where kafkajs 2.2.4 arms its negative timer (tulios/kafkajs#1751). */
const KAFKAJS_FILE = join('node_modules', 'kafkajs', 'src', 'network', 'requestQueue', 'index.js');

/** Runs `script` in a fresh node process with the filter installed; returns its stderr. */
function stderrOf(script: string): string {
  const program = [
    `require(${JSON.stringify(FILTER)}).ignoreKafkajsNegativeTimeouts();`,
    `const armFromKafkajs = (delay) => require('node:vm').runInThisContext(`,
    `  'setTimeout(() => {}, ' + delay + ')', { filename: ${JSON.stringify(join('/app', KAFKAJS_FILE))} });`,
    script,
  ].join('\n');
  const child = spawnSync(process.execPath, ['-r', REGISTER_TS, '-e', program], { encoding: 'utf8' });
  expect(child.status).toBe(0);
  return child.stderr;
}

describe('ignoreKafkajsNegativeTimeouts', () => {
  it('drops the TimeoutNegativeWarning of a timer kafkajs armed', () => {
    expect(stderrOf('armFromKafkajs(-1764000000000);')).not.toContain('TimeoutNegativeWarning');
  });

  it('still prints the warning for a negative timer of our own', () => {
    expect(stderrOf('setTimeout(() => {}, -7);')).toContain(
      'TimeoutNegativeWarning: -7 is a negative number',
    );
  });

  it('still prints every other warning', () => {
    expect(stderrOf("process.emitWarning('disk almost full', 'StorageWarning');")).toContain(
      'StorageWarning: disk almost full',
    );
  });
});
