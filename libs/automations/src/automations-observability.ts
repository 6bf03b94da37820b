import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Metrics } from '@crm/platform';
import { AutomationsAdmin } from './admin/automations-admin';

/**
 * Lag, dead letters, pending deadlines and pause per automation, computed
 * when Prometheus scrapes, in every process that has the automations (the
 * API's /metrics and the automations process's probes read the same documents).
 */
@Injectable()
export class AutomationsObservability implements OnModuleInit {
  constructor(
    private readonly admin: AutomationsAdmin,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    const gauge = (
      name: string,
      help: string,
      value: (o: Awaited<ReturnType<AutomationsAdmin['all']>>[number]) => number,
    ) =>
      this.metrics.sampledGauge(name, help, ['automation'], async () =>
        (await this.admin.all()).map((o) => ({ labels: { automation: o.name }, value: value(o) })),
      );
    gauge(
      'crm_automation_lag_events',
      'Events in the log after an automation checkpoint (an upper bound)',
      (o) => o.lagEvents,
    );
    gauge('crm_automation_dead_letters', 'Open dead letters of an automation', (o) => o.deadLetters);
    gauge(
      'crm_automation_pending_deadlines',
      'Deadlines an automation keeps, not yet due or not yet looked at',
      (o) => o.pendingDeadlines,
    );
    gauge('crm_automation_paused', 'Whether an automation is paused (1)', (o) => (o.paused ? 1 : 0));
  }
}
