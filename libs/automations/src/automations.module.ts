import { type DynamicModule, Logger, Module, type Provider } from '@nestjs/common';
import { Counter } from 'prom-client';
import { EVENT_STORE, type EventStore, RAW_EVENT_STORE } from '@crm/event-store';
import { CustomerRepository } from '@crm/ingestion';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock, Metrics } from '@crm/platform';
import { READ_STORE, type ReadStore } from '@crm/read-store';
import { AutomationsAdmin } from './admin/automations-admin';
import { AutomationsController } from './admin/automations.controller';
import { AutomationsObservability } from './automations-observability';
import { AutomationsSupervisor } from './automations-supervisor';
import { automationReactors } from './reactors';
import type { Reactor } from './reactor/reactor';
import { ReactorRunner } from './reactor/reactor-runner';
import { ReactorStore } from './reactor/reactor-store';
import { Recorder } from './reactor/recorder';

export type AutomationsOptions = {
  /** Serve the admin routes (the API's run modes). */
  readonly routes: boolean;
  /** Run the reactors (RUN_MODE all or automations, AUTOMATIONS=on). */
  readonly run: boolean;
};

/** DI token of the reactors, built from the config. */
export const AUTOMATION_REACTORS = Symbol('AUTOMATION_REACTORS');

/**
 * Automations (docs/automations.md): reactors that follow the log and
 * record events of their own through the customer repository. Needs the
 * core module's stores, config and clock.
 */
@Module({})
export class AutomationsModule {
  static forRoot(options: AutomationsOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: AUTOMATION_REACTORS, inject: [APP_CONFIG], useFactory: automationReactors },
      {
        provide: ReactorStore,
        inject: [READ_STORE],
        useFactory: (store: ReadStore) => new ReactorStore(store),
      },
      {
        // Its own repository over the one decrypting store: the API's, when there is one, sits in
        // IngestionModule; the store's revision check arbitrates between the two.
        provide: Recorder,
        inject: [EVENT_STORE, APP_CONFIG],
        useFactory: (events: EventStore, config: AppConfig) =>
          new Recorder(new CustomerRepository(events, config)),
      },
      {
        provide: AutomationsAdmin,
        inject: [AUTOMATION_REACTORS, ReactorStore, RAW_EVENT_STORE, Recorder, CLOCK, APP_CONFIG],
        useFactory: (
          reactors: readonly Reactor[],
          store: ReactorStore,
          events: EventStore,
          recorder: Recorder,
          clock: Clock,
          config: AppConfig,
        ) => new AutomationsAdmin(reactors, store, events, recorder, clock, config.automations.enabled),
      },
      AutomationsObservability,
    ];
    if (options.run) providers.push(supervisor());
    return {
      module: AutomationsModule,
      controllers: options.routes ? [AutomationsController] : [],
      providers,
      exports: options.run ? [AutomationsAdmin, AutomationsSupervisor] : [AutomationsAdmin],
    };
  }
}

function supervisor(): Provider {
  return {
    provide: AutomationsSupervisor,
    inject: [AUTOMATION_REACTORS, ReactorStore, RAW_EVENT_STORE, Recorder, CLOCK, Metrics],
    useFactory: (
      reactors: readonly Reactor[],
      store: ReactorStore,
      events: EventStore,
      recorder: Recorder,
      clock: Clock,
      metrics: Metrics,
    ) => {
      const logger = new Logger('Automations');
      const outcomes = new Counter({
        name: 'crm_automation_outcomes_total',
        help: 'What the automations did with triggers: events recorded (new ones), dead-lettered, skipped (customer erased or merged)',
        labelNames: ['automation', 'outcome'] as const,
        registers: [metrics.registry],
      });
      const runners = reactors.map(
        (reactor) =>
          new ReactorRunner(reactor, {
            events,
            store,
            recorder,
            clock,
            observe: (o) =>
              outcomes.inc(
                { automation: reactor.name, outcome: o.kind },
                o.kind === 'recorded' ? o.count : 1,
              ),
            log: (level, message) => logger[level](message),
          }),
      );
      return new AutomationsSupervisor(runners);
    },
  };
}
