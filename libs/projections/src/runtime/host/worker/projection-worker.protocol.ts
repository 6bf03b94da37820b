import type { RunnerStatus } from '../../log/projection-runner';
import type { ProjectionReport } from '../projection-host';
import type { WireError } from './wire-error';

/**
 * Where the worker gets its projections: a module's export called with the
 * churn window and `data` (structured-cloned). Null: the customer projections.
 * Functions cannot cross threads, so a test that swaps the projections names
 * a module both threads load.
 */
export type ProjectionSource = {
  readonly module: string;
  readonly exportName: string;
  readonly data?: unknown;
};

/** What the worker gets as workerData. */
export type ProjectionWorkerInput = {
  readonly batchSize: number;
  readonly deadLetterAfter: number;
  readonly churnWindowDays: number;
  readonly attributionWindowDays: number;
  /** BLIND_INDEX_KEY (the thread is this process), or null: no identity index. */
  readonly blindIndexKey: Uint8Array | null;
  readonly source: ProjectionSource | null;
  /** The logical names, in the order of the pause flags' words. */
  readonly names: readonly string[];
  /** The PauseFlags buffer, shared with the main thread. */
  readonly pauses: SharedArrayBuffer;
  /** Handed to the script's opener as is, e.g. where the stores are. */
  readonly data: unknown;
};

/** What the main thread mirrors: sent after every commit (coalesced), every command, and now and then. */
export type ProjectionWorkerState = {
  /** The log position every live read model has committed. */
  readonly position: number;
  /**
   * Log commit times (epoch ms) of the events that became visible at
   * `position` since the last state message: the main thread times them
   * when it mirrors the position, which is when its reads can see them.
   */
  readonly visible?: readonly number[];
  readonly status: readonly RunnerStatus[];
  readonly report: readonly ProjectionReport[];
  /** Logical name → the version reads use (it changes when a rebuild takes over). */
  readonly versions: readonly (readonly [string, number])[];
};

/** Main thread → worker. Requests carry an id; the worker answers each with one reply. */
export type ProjectionWorkerCommand =
  | { readonly kind: 'resume'; readonly name: string }
  | { readonly kind: 'rebuild'; readonly id: number; readonly name: string }
  | {
      readonly kind: 'recompute';
      readonly id: number;
      readonly name: string;
      readonly customerId: string;
      readonly leaveOut: readonly string[] | null;
    }
  | { readonly kind: 'stop' };

/** Worker → main thread. */
export type ProjectionWorkerMessage =
  | { readonly kind: 'ready'; readonly state: ProjectionWorkerState }
  | { readonly kind: 'state'; readonly state: ProjectionWorkerState }
  | { readonly kind: 'reply'; readonly id: number; readonly value: number | null }
  | { readonly kind: 'refused'; readonly id: number; readonly error: WireError }
  | { readonly kind: 'log'; readonly level: 'log' | 'warn' | 'error'; readonly message: string }
  | { readonly kind: 'stopped' };
