import type { RunnerStatus } from '../log/projection-runner';

export type ProjectionState = 'running' | 'paused' | 'rebuilding' | 'failed' | 'stopped';

export type RebuildProgress = {
  readonly version: number;
  readonly state: 'rebuilding' | 'failed';
  readonly checkpoint: number;
  readonly eventsApplied: number;
  readonly startedAt: string;
  readonly error: string | null;
};

/** What the runtime knows about one projection; the admin routes add the log head and lag. */
export type ProjectionReport = {
  readonly name: string;
  readonly version: number;
  readonly state: ProjectionState;
  readonly checkpoint: number;
  readonly eventsApplied: number;
  readonly eventsPerSecond: number;
  readonly deadLettered: number;
  readonly lastError: string | null;
  readonly rebuild: RebuildProgress | null;
};

/** Where a host's messages go: Nest's logger in the main thread, the main thread from a worker. */
export type HostLogger = {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
};

/**
 * Where the projections of this process run, behind one seam: in this
 * thread (InThreadHost: Kafka, MongoDB, KurrentDB, a projector process, or
 * PROJECTIONS_THREAD=main) or in a worker thread (WorkerThreadHost: the
 * embedded default), which keeps the runner's CPU off the thread that
 * serves HTTP. Names are logical (`customer-journey`); the runtime checks
 * them before calling.
 */
export interface ProjectionHost {
  /** Follows the log (or, `follow`, another process's checkpoints) until `stop`. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The log position every live read model has applied (committed). */
  position(): number;
  /** Resolves true once `position()` reaches `position`, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean>;
  /** Logical names of the paused projections whose checkpoint is below `position`. */
  pausedBelow(position: number): string[];
  /** The live runner's projections (versioned names, as checkpoints are keyed). */
  status(): RunnerStatus[];
  report(): ProjectionReport[];
  pause(name: string): void;
  resume(name: string): void;
  rebuild(name: string): Promise<number>;
  recompute(name: string, customerId: string, leaveOut?: ReadonlySet<string>): Promise<void>;
}
