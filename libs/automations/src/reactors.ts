import type { AppConfig } from '@crm/platform';
import { feedbackReactor } from './feedback/feedback.reactor';
import type { Reactor } from './reactor/reactor';
import { serviceLevelReactor } from './service-level/service-level.reactor';

/** Every reactor of the product, with its settings from the config. */
export function automationReactors(config: AppConfig): Reactor[] {
  return [
    feedbackReactor(),
    serviceLevelReactor({
      firstResponseMinutes: config.automations.slaFirstResponseMinutes,
      ownerQueue: config.automations.ownerQueue,
    }),
  ];
}
