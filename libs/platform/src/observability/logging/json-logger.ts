import type { LoggerService, LogLevel } from '@nestjs/common';
import pino from 'pino';
import { requestContext } from './request-context';

export type LogFormat = 'json' | 'pretty';

export type JsonLoggerOptions = {
  /** The most detailed level written: `log` writes error, warn and log (fatal always). */
  readonly level: Exclude<LogLevel, 'fatal'>;
  readonly format: LogFormat;
  /** Receives each line, newline included; default stdout without blocking (see stdoutLines). */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
};

/** Most to least severe. */
const SEVERITY: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

type Fields = Record<string, unknown>;

/**
 * Nest's logger as one JSON object per line: `time`, `level`, `context`,
 * `message`, the request's `correlationId` when written while serving one,
 * and any fields the message object carries (e.g. the access log's method,
 * url, status and durationMs). `pretty` writes the same as plain text.
 */
export class JsonLogger implements LoggerService {
  private enabled: ReadonlySet<LogLevel>;
  private readonly write: (line: string) => void;
  private readonly now: () => Date;

  constructor(private readonly options: JsonLoggerOptions) {
    this.enabled = upTo(options.level);
    this.write = options.write ?? stdoutLines();
    this.now = options.now ?? (() => new Date());
  }

  log(message: unknown, ...params: unknown[]): void {
    this.emit('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.emit('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.emit('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.emit('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.emit('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.emit('fatal', message, params);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.enabled = new Set(levels);
  }

  private emit(level: LogLevel, message: unknown, params: readonly unknown[]): void {
    if (!this.enabled.has(level)) return;
    const line: Fields = { time: this.now().toISOString(), level, ...contextAndStack(level, params) };
    const correlationId = requestContext.getStore()?.correlationId;
    if (correlationId !== undefined) line.correlationId = correlationId;
    Object.assign(line, messageFields(message));
    this.write(this.options.format === 'json' ? `${JSON.stringify(line)}\n` : pretty(line));
  }
}

let stdout: ((line: string) => void) | undefined;

/**
 * Lines to stdout through pino's asynchronous destination (sonic-boom): a
 * write only appends to a buffer, and the buffer goes out by fs.write off the
 * event loop, lines that arrive meanwhile coalesced into the next write.
 * process.stdout.write blocks on files and pipes, which is where logs go in
 * production, once per request for the access line. pino writes what is
 * still buffered synchronously on exit. One destination per process, shared.
 */
function stdoutLines(): (line: string) => void {
  if (stdout) return stdout;
  const destination = pino.destination({ dest: 1, sync: false });
  stdout = (line) => void destination.write(line);
  return stdout;
}

function upTo(level: LogLevel): Set<LogLevel> {
  return new Set(SEVERITY.slice(0, SEVERITY.indexOf(level) + 1));
}

/** Nest passes the context last, and for errors the stack before it: `error(message, stack?, context?)`. */
function contextAndStack(level: LogLevel, params: readonly unknown[]): Fields {
  const strings = params.filter((param): param is string => typeof param === 'string');
  const fields: Fields = {};
  const context = strings.length > 0 ? strings[strings.length - 1] : undefined;
  const stack =
    level === 'error' || level === 'fatal' ? strings.find((s) => s.includes('\n    at ')) : undefined;
  if (context !== undefined && context !== stack) fields.context = context;
  if (stack !== undefined) fields.stack = stack;
  return fields;
}

/** A string is the message; an Error gives message and stack; a plain object's fields join the line. */
function messageFields(message: unknown): Fields {
  if (message instanceof Error) return { message: message.message, stack: message.stack };
  if (typeof message === 'object' && message !== null && !Array.isArray(message)) return { ...message };
  return { message: typeof message === 'string' ? message : JSON.stringify(message) };
}

function pretty(line: Fields): string {
  const { time, level, context, message, stack, ...rest } = line;
  const text = (value: unknown): string =>
    typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  const extra = Object.entries(rest)
    .map(([key, value]) => `${key}=${text(value)}`)
    .join(' ');
  const head = `${text(time)} ${text(level).toUpperCase().padEnd(7)} [${text(context ?? '-')}] ${text(message ?? '')}`;
  return `${head}${extra ? `  ${extra}` : ''}${typeof stack === 'string' ? `\n${stack}` : ''}\n`;
}
