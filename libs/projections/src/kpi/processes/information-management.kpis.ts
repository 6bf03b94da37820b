import {
  hasMarketingConsentAt,
  isCustomerAt,
  profileOf,
  type ProfileSnapshot,
} from '../facts/kpi-facts.as-of';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { mean, ratio } from '../kpi-math';
import type { InformationManagementKpis } from '../payne-frow-kpis';

/** Over the customers at `t`, with the profile and consent they had then. */
export function informationManagementKpis(
  facts: readonly KpiFactsDocument[],
  t: number,
): InformationManagementKpis {
  const customers = facts.filter((doc) => isCustomerAt(doc, t));
  const profiles = customers.map((doc) => profileOf(doc, t));
  return {
    avgProfileCompleteness: mean(profiles.map(profileCompleteness)),
    marketingConsentShare: ratio(
      customers.filter((doc) => hasMarketingConsentAt(doc, t)).length,
      customers.length,
    ),
    identifiedShare: ratio(
      profiles.filter((profile) => profile.email || profile.phone).length,
      profiles.length,
    ),
  };
}

/** Share of {name, email, phone, segment} present (domain.md, IDIC). */
function profileCompleteness(profile: ProfileSnapshot): number {
  const present = [profile.name, profile.email, profile.phone, profile.segment !== null];
  return present.filter(Boolean).length / present.length;
}
