import { uuidV5 } from './uuid-v5';

/** The namespace of every reactor event id (the contract shared with the KPIs and follow-ups). */
export const AUTOMATION_NAMESPACE = '0d6f3c1e-7a4b-5e29-9c3d-8b1f2a6e4c57';

/** The rules, by the name that enters the event id. */
export const RULES = {
  surveyRequest: 'feedback.survey-request',
  breach: 'service-level.breach',
  followUp: 'service-level.follow-up',
} as const;

export type RuleName = (typeof RULES)[keyof typeof RULES];

/**
 * The id of the event `rule` records for `triggerEventId`: UUID v5 of
 * `${triggerEventId}/${rule}`. A replay or a restart derives the same id, and
 * recording an id the stream already holds is a no-op.
 */
export function automatedEventId(triggerEventId: string, rule: RuleName): string {
  return uuidV5(`${triggerEventId}/${rule}`, AUTOMATION_NAMESPACE);
}
