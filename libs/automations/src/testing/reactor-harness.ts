import { join } from 'node:path';
import { commandFor, type CrmEvent } from '@crm/domain';
import { type EventStore, type RecordedEvent, SqliteEventStore } from '@crm/event-store';
import { CustomerRepository } from '@crm/ingestion';
import { type Clock, loadConfig } from '@crm/platform';
import { SqliteReadStore } from '@crm/read-store';
import { AutomationsAdmin } from '../admin/automations-admin';
import type { Reactor } from '../reactor/reactor';
import { type RunnerContext, ReactorRunner, type RunnerOptions } from '../reactor/reactor-runner';
import { ReactorStore } from '../reactor/reactor-store';
import { Recorder } from '../reactor/recorder';
import { automationReactors } from '../reactors';

/** A clock a test moves by hand. */
export class ControlledClock implements Clock {
  private current: number;

  constructor(start: string) {
    this.current = Date.parse(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: string): void {
    this.current = Date.parse(instant);
  }
}

/**
 * The reactors on embedded stores in `dir`, with the product's reactors
 * and default settings: what the e2e specs and the crash child drive.
 * (Plain SQLite event store: personal fields are not encrypted here.)
 */
export class ReactorHarness {
  private constructor(
    readonly events: EventStore,
    readonly readStore: SqliteReadStore,
    readonly customers: CustomerRepository,
    readonly store: ReactorStore,
    readonly recorder: Recorder,
    readonly reactors: readonly Reactor[],
    readonly clock: ControlledClock | Clock,
  ) {}

  static async open(dir: string, clock: ControlledClock | Clock): Promise<ReactorHarness> {
    const config = loadConfig({ DATA_DIR: dir });
    const events = await SqliteEventStore.open({ file: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
    const readStore = await SqliteReadStore.open({ file: join(dir, 'read-models.sqlite') });
    const customers = new CustomerRepository(events, config);
    return new ReactorHarness(
      events,
      readStore,
      customers,
      new ReactorStore(readStore),
      new Recorder(customers),
      automationReactors(config),
      clock,
    );
  }

  runners(options: RunnerOptions = {}, observe?: RunnerContext['observe']): ReactorRunner[] {
    return this.reactors.map(
      (reactor) =>
        new ReactorRunner(
          reactor,
          { events: this.events, store: this.store, recorder: this.recorder, clock: this.clock, observe },
          options,
        ),
    );
  }

  admin(): AutomationsAdmin {
    return new AutomationsAdmin(this.reactors, this.store, this.events, this.recorder, this.clock, true);
  }

  /** Every reactor stepped until none has anything left (one's events are in the others' log too). */
  async drain(): Promise<void> {
    const runners = this.runners();
    for (let busy = true; busy;) {
      busy = false;
      for (const runner of runners) while (await runner.step()) busy = true;
    }
  }

  /** Records events through the repository, as the API would. */
  async record(customerId: string, ...events: CrmEvent[]): Promise<void> {
    await this.customers.record(customerId, events.map(commandFor));
  }

  async log(): Promise<RecordedEvent[]> {
    return this.events.readAll({});
  }

  async close(): Promise<void> {
    await Promise.all([this.events.close(), this.readStore.close()]);
  }
}
