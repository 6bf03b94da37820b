import { logProblems } from './log-problems';

const line = (fields: Record<string, unknown>): string =>
  JSON.stringify({ time: '2026-01-01T00:00:00.000Z', context: 'Test', ...fields });

describe('logProblems', () => {
  it('passes JSON log lines below level error', () => {
    const text = [line({ level: 'warn', message: 'retrying after: broker down' }), line({ level: 'log' })];

    expect(logProblems('api-1', `${text.join('\n')}\n`)).toEqual([]);
  });

  it('reports JSON lines at level error and fatal with their source and line number', () => {
    const text = [
      line({ level: 'log', message: 'ok' }),
      line({ level: 'error', message: 'dead letter x' }),
      line({ level: 'fatal', message: 'gone' }),
    ].join('\n');

    expect(logProblems('projector-1', text).map(({ source, line }) => [source, line])).toEqual([
      ['projector-1', 2],
      ['projector-1', 3],
    ]);
  });

  it('reports a warning that names an unhandled rejection', () => {
    const text = line({ level: 'warn', message: 'Unhandled promise rejection in consumer' });

    expect(logProblems('relay', text)).toHaveLength(1);
  });

  it('reports plain text such as a crash stack on stderr, but not Node deprecation warnings', () => {
    const text = [
      '(node:4242) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.',
      '(Use `node --trace-deprecation ...` to show where the warning was created)',
      '/app/dist/main.js:10',
      'TypeError: Cannot read properties of undefined',
      '    at main (/app/dist/main.js:10:5)',
    ].join('\n');

    expect(logProblems('api-2', text).map((problem) => problem.line)).toEqual([3, 4, 5]);
  });

  it('reports JSON that is not a log line', () => {
    expect(logProblems('api-1', '{"hello":1}\n[1,2]')).toHaveLength(2);
  });
});
