import { PassThrough } from 'node:stream';
import type { CliIo } from '../src/cli-command';

export type CapturedIo = CliIo & { out(): string; err(): string };

/** A CliIo over in-memory streams: what a command printed is read back as text. */
export function captureIo(env: NodeJS.ProcessEnv, interactive = false): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env,
    interactive,
    out: () => Buffer.concat(out).toString(),
    err: () => Buffer.concat(err).toString(),
  };
}
