import { JsonLogger, type JsonLoggerOptions } from './json-logger';
import { requestContext } from './request-context';

const NOW = new Date('2026-05-01T12:00:00.000Z');

function capture(options: Partial<JsonLoggerOptions> = {}): { logger: JsonLogger; lines: string[] } {
  const lines: string[] = [];
  const logger = new JsonLogger({
    level: 'log',
    format: 'json',
    write: (line) => lines.push(line),
    now: () => NOW,
    ...options,
  });
  return { logger, lines };
}

const parsed = (lines: readonly string[]): unknown[] => lines.map((line) => JSON.parse(line) as unknown);

describe('JsonLogger', () => {
  it('writes one JSON object per line with time, level, context and message', () => {
    const { logger, lines } = capture();

    logger.log('started', 'Bootstrap');

    expect(lines).toEqual([
      '{"time":"2026-05-01T12:00:00.000Z","level":"log","context":"Bootstrap","message":"started"}\n',
    ]);
  });

  it('adds the correlation id of the request it is written in', () => {
    const { logger, lines } = capture();

    requestContext.run({ correlationId: 'trace-7' }, () => logger.warn('slow', 'HTTP'));
    logger.warn('outside', 'HTTP');

    expect(parsed(lines)).toEqual([
      { time: NOW.toISOString(), level: 'warn', context: 'HTTP', correlationId: 'trace-7', message: 'slow' },
      { time: NOW.toISOString(), level: 'warn', context: 'HTTP', message: 'outside' },
    ]);
  });

  it('merges the fields of an object message into the line', () => {
    const { logger, lines } = capture();

    logger.log({ message: 'request', method: 'GET', status: 200, durationMs: 1.5 }, 'HTTP');

    expect(parsed(lines)).toEqual([
      {
        time: NOW.toISOString(),
        level: 'log',
        context: 'HTTP',
        message: 'request',
        method: 'GET',
        status: 200,
        durationMs: 1.5,
      },
    ]);
  });

  it('keeps the stack of an error apart from its context', () => {
    const { logger, lines } = capture();
    const stack = 'Error: boom\n    at somewhere (file.ts:1:1)';

    logger.error('boom', stack, 'HTTP');

    expect(parsed(lines)).toEqual([
      { time: NOW.toISOString(), level: 'error', context: 'HTTP', stack, message: 'boom' },
    ]);
  });

  it('writes only the levels up to LOG_LEVEL, and fatal always', () => {
    const { logger, lines } = capture({ level: 'warn' });

    logger.verbose('v');
    logger.debug('d');
    logger.log('l');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');

    expect(parsed(lines).map((line) => (line as { message: string }).message)).toEqual(['w', 'e', 'f']);
  });

  it('writes plain text lines in the pretty format', () => {
    const { logger, lines } = capture({ format: 'pretty' });

    requestContext.run({ correlationId: 'c-1' }, () => logger.log('hello', 'Auth'));

    expect(lines).toEqual(['2026-05-01T12:00:00.000Z LOG     [Auth] hello  correlationId=c-1\n']);
  });
});
