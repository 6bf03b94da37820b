import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { customerProjections, type Projection } from '@crm/projections';
import type { ProjectionSource } from '@crm/projections/runtime';

/*
 * Projections that fail on chosen events, loadable by a projection worker
 * thread as well as by the test (a ProjectionSource): the chosen event ids
 * live in a file, which the test changes while the app runs.
 */

export type PoisonData = {
  /** JSON array of event ids. */
  readonly file: string;
  /** The projection that fails on them. */
  readonly projection: string;
  /** `throw` (the event becomes a dead letter) or `exit` (the worker thread dies, as on a fatal fault). */
  readonly effect: 'throw' | 'exit';
};

function listed(file: string): Set<string> {
  return new Set(JSON.parse(readFileSync(file, 'utf8')) as string[]);
}

/** The ProjectionSource export: the customer projections, `data.projection` failing on the listed events. */
export function poisonedProjections(options: {
  readonly churnWindowDays: number;
  readonly data: unknown;
}): readonly Projection[] {
  const { file, projection: name, effect } = options.data as PoisonData;
  return customerProjections(options.churnWindowDays).map((projection): Projection =>
    projection.name !== name
      ? projection
      : {
          ...projection,
          async project(batch, reader) {
            const poisoned = listed(file);
            const bad = batch.find((e) => poisoned.has(e.event.eventId));
            if (bad && effect === 'exit') {
              if (isMainThread) throw new Error('a crash was asked for outside a worker thread');
              process.exit(70);
            }
            if (bad) throw new Error(`cannot apply ${bad.event.eventId}`);
            return projection.project(batch, reader);
          },
        },
  );
}

/** The list of poisoned event ids, and the source that reads it. */
export class Poison {
  private readonly dir = mkdtempSync(join(tmpdir(), 'crm-poison-'));
  private readonly file = join(this.dir, 'poisoned.json');
  private readonly ids = new Set<string>();

  constructor(
    private readonly projection: string,
    private readonly effect: PoisonData['effect'] = 'throw',
  ) {
    this.write();
  }

  get source(): ProjectionSource {
    const data: PoisonData = { file: this.file, projection: this.projection, effect: this.effect };
    return { module: __filename, exportName: 'poisonedProjections', data };
  }

  add(eventId: string): void {
    this.ids.add(eventId);
    this.write();
  }

  delete(eventId: string): void {
    this.ids.delete(eventId);
    this.write();
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Whole or not at all: the worker thread reads the file while this thread writes it. */
  private write(): void {
    writeFileSync(`${this.file}.next`, JSON.stringify([...this.ids]));
    renameSync(`${this.file}.next`, this.file);
  }
}
