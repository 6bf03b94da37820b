import type { AppendResult } from '../event-store.port';
import type { AppendRequest } from './sqlite-append-writer';
import type { WireError } from './sqlite-error-wire';

export type WriterInit = { readonly file: string; readonly busyTimeoutMs: number };

export type CommitMessage = {
  readonly id: number;
  readonly requests: readonly AppendRequest[];
  readonly recordedAt: string;
};

export type WireOutcome =
  { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: WireError };

/** The writer's answer to one CommitMessage: per-request outcomes, or why the whole batch failed. */
export type CommitReply =
  | { readonly id: number; readonly committed: true; readonly outcomes: readonly WireOutcome[] }
  | { readonly id: number; readonly committed: false; readonly reason: string };

export type ReadyMessage = { readonly ready: true } | { readonly ready: false; readonly reason: string };
