import { isMainThread, type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { EventStore } from '@crm/event-store';
import type { ReadStore } from '@crm/read-store';
import { customerProjections } from '../../../runner/customer-projections';
import type { Projection } from '../../../runner/projection';
import { ActiveVersions, logicalProjectionName } from '../../../versioning';
import { InThreadHost } from '../in-thread-host';
import type { HostLogger } from '../projection-host';
import { PauseFlags } from './pause-flags';
import type {
  ProjectionWorkerCommand,
  ProjectionWorkerInput,
  ProjectionWorkerMessage,
  ProjectionWorkerState,
} from './projection-worker.protocol';
import { toWire } from './wire-error';

export type WorkerStores = { readonly events: EventStore; readonly readStore: ReadStore };

/** Opens the worker's own connections (a thread cannot share another's): `data` is the app's. */
export type OpenWorkerStores = (data: unknown) => Promise<WorkerStores>;

/** How often the state goes to the main thread even when nothing was committed (rates, failures). */
const HEARTBEAT_MS = 250;

/**
 * The body of the projection worker script: runs the live projections and
 * their rebuilds (an InThreadHost, as the main thread would) on stores it
 * opens itself, answers the main thread's commands, and sends its state
 * after each commit. Stops on `stop` (or when the main thread goes).
 */
export function serveProjectionWorker(open: OpenWorkerStores): void {
  const port = parentPort;
  if (isMainThread || port === null)
    throw new Error('serveProjectionWorker runs in a worker thread started by WorkerThreadHost');
  const input = workerData as ProjectionWorkerInput;
  run(input, open, port).catch((error: unknown) => {
    send(port, { kind: 'log', level: 'error', message: `Projection worker failed: ${messageOf(error)}` });
    // Exits this thread only: the main thread sees the exit, marks the projections failed and restarts it.
    process.exit(1);
  });
}

async function run(input: ProjectionWorkerInput, open: OpenWorkerStores, port: MessagePort): Promise<void> {
  const projections = await projectionsOf(input);
  const { events, readStore } = await open(input.data);
  const logger = workerLogger(port);
  const flags = new PauseFlags(input.names, input.pauses);
  const versions = new ActiveVersions(projections);
  let pending = false;
  // Commit times of the events made visible since the last state message, which carries them over.
  let visible: number[] = [];
  const drainVisible = (): number[] => {
    const drained = visible;
    visible = [];
    return drained;
  };
  const host = new InThreadHost(events, readStore, projections, versions, {
    mode: 'run',
    batchSize: input.batchSize,
    deadLetterAfter: input.deadLetterAfter,
    now: () => new Date(),
    logger,
    pauses: { isPaused: (name) => flags.isPaused(logicalProjectionName(name)) },
    onVisible: (committedAtMs) => {
      for (const at of committedAtMs) visible.push(at);
    },
    // The units of one step commit back to back: one message after the last of them.
    onChange: () => {
      if (pending) return;
      pending = true;
      setImmediate(() => {
        pending = false;
        send(port, { kind: 'state', state: stateOf(host, versions, projections, drainVisible) });
      });
    },
  });
  await host.prepare();
  const heartbeat = setInterval(
    () => send(port, { kind: 'state', state: stateOf(host, versions, projections, drainVisible) }),
    HEARTBEAT_MS,
  );
  const stopped = new Promise<void>((resolve) => {
    port.on('message', (command: ProjectionWorkerCommand) => {
      if (command.kind === 'stop') resolve();
      else void answer(command, host, port, () => stateOf(host, versions, projections, drainVisible));
    });
    port.once('close', () => resolve());
  });
  await host.start();
  send(port, { kind: 'ready', state: stateOf(host, versions, projections, drainVisible) });
  await stopped;
  clearInterval(heartbeat);
  await host.stop();
  await Promise.allSettled([events.close(), readStore.close()]);
  send(port, { kind: 'stopped' });
  port.close();
}

async function answer(
  command: Exclude<ProjectionWorkerCommand, { kind: 'stop' }>,
  host: InThreadHost,
  port: MessagePort,
  state: () => ProjectionWorkerState,
): Promise<void> {
  if (command.kind === 'resume') {
    host.resume(command.name);
    return;
  }
  try {
    const value =
      command.kind === 'rebuild'
        ? await host.rebuild(command.name)
        : await host
            .recompute(
              command.name,
              command.customerId,
              command.leaveOut ? new Set(command.leaveOut) : undefined,
            )
            .then(() => null);
    // The state first: once the caller has its answer, the main thread's mirror already shows it.
    send(port, { kind: 'state', state: state() });
    send(port, { kind: 'reply', id: command.id, value });
  } catch (error) {
    send(port, { kind: 'state', state: state() });
    send(port, { kind: 'refused', id: command.id, error: toWire(error) });
  }
}

async function projectionsOf({
  source,
  churnWindowDays,
  blindIndexKey,
  attributionWindowDays,
}: ProjectionWorkerInput): Promise<readonly Projection[]> {
  if (source === null) return customerProjections(churnWindowDays, blindIndexKey, attributionWindowDays);
  const loaded = (await import(source.module)) as Record<string, unknown>;
  const factory = loaded[source.exportName];
  if (typeof factory !== 'function')
    throw new Error(`${source.module} exports no function ${source.exportName}`);
  return (factory as ProjectionFactory)({ churnWindowDays, data: source.data });
}

/** What a ProjectionSource's export is: the projections a worker runs. */
export type ProjectionFactory = (options: {
  readonly churnWindowDays: number;
  readonly data: unknown;
}) => readonly Projection[];

function stateOf(
  host: InThreadHost,
  versions: ActiveVersions,
  projections: readonly Projection[],
  drainVisible: () => number[],
): ProjectionWorkerState {
  return {
    visible: drainVisible(),
    position: host.position(),
    status: host.status(),
    report: host.report(),
    versions: projections.map((p) => [p.name, versions.versionOf(p.name)] as const),
  };
}

function workerLogger(port: MessagePort): HostLogger {
  return {
    log: (message) => send(port, { kind: 'log', level: 'log', message }),
    warn: (message) => send(port, { kind: 'log', level: 'warn', message }),
    error: (message) => send(port, { kind: 'log', level: 'error', message }),
  };
}

function send(port: MessagePort, message: ProjectionWorkerMessage): void {
  port.postMessage(message);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
