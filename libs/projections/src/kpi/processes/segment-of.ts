import { profileOf } from '../facts/kpi-facts.as-of';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';

export const UNKNOWN_SEGMENT = 'unknown';

/** The segment a customer is reported under: the one stated last before `t`. */
export function segmentAt(doc: KpiFactsDocument, t: number): string {
  return profileOf(doc, t).segment ?? UNKNOWN_SEGMENT;
}
