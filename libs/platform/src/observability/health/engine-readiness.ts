import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { READ_STORE, type ReadStore } from '@crm/read-store';
import { ReadinessChecks } from './readiness';

/** Probed in the read store: any projection name will do, reading a checkpoint touches the engine. */
const PROBE_PROJECTION = 'readiness-probe';

/** Registers the checks of the core engines: the event store's head is readable, the read store answers. */
@Injectable()
export class EngineReadiness implements OnModuleInit {
  constructor(
    @Inject(ReadinessChecks) private readonly checks: ReadinessChecks,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  onModuleInit(): void {
    this.checks.register('eventStore', async () => ({ headPosition: await this.events.headPosition() }));
    this.checks.register('readStore', async () => {
      await this.readStore.checkpoint(PROBE_PROJECTION);
    });
  }
}
