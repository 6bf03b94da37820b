import { computeKpis } from '../compute-kpis';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { at, customerFacts, MARCH_2024 } from '../testing/kpi-facts.fixture';

const informationManagement = (facts: readonly KpiFactsDocument[]) =>
  computeKpis(facts, MARCH_2024).informationManagement;

describe('information management KPIs', () => {
  /** Complete profile, consented: completeness 1. */
  const complete = customerFacts(
    {
      id: 'complete',
      registeredAt: '2024-01-01',
      email: 'a@example.test',
      phone: '+4930123456',
      segment: 'smb',
    },
    (f) => [f.consentChanged({ granted: true }, at('2024-01-02'))],
  );
  /** Name only at `to`: the email was blanked in March, the phone comes in April; consent withdrawn. */
  const nameOnly = customerFacts(
    { id: 'name-only', registeredAt: '2024-02-01', email: 'b@example.test' },
    (f) => [
      f.consentChanged({ granted: true }, at('2024-02-02')),
      f.profileUpdated({ email: '' }, at('2024-03-10')),
      f.consentChanged({ granted: false }, at('2024-03-15')),
      f.profileUpdated({ phone: '+4930999999' }, at('2024-04-02')),
    ],
  );
  /** Name and phone; consents only after `to` and for another purpose before it. */
  const phoneOnly = customerFacts(
    { id: 'phone-only', registeredAt: '2024-03-20', phone: '+4930555555' },
    (f) => [
      f.consentChanged({ purpose: 'sms', granted: true }, at('2024-03-21')),
      f.consentChanged({ granted: true }, at('2024-04-05')),
    ],
  );
  /** Registered after `to`: not a customer at `to`. */
  const later = customerFacts(
    { id: 'later', registeredAt: '2024-04-01T00:00:00Z', email: 'c@example.test' },
    (f) => [f.consentChanged({ granted: true }, at('2024-04-02'))],
  );

  const facts = [complete, nameOnly, phoneOnly, later];

  it('averages the share of name, email, phone and segment present at `to`', () => {
    expect(informationManagement(facts).avgProfileCompleteness).toBeCloseTo((1 + 0.25 + 0.5) / 3, 12);
  });

  it('shares customers whose latest marketing_email consent before `to` grants it', () => {
    expect(informationManagement(facts).marketingConsentShare).toBeCloseTo(1 / 3, 12);
  });

  it('shares customers with an email or a phone at `to`', () => {
    expect(informationManagement(facts).identifiedShare).toBeCloseTo(2 / 3, 12);
  });

  it('is null throughout when there are no customers at `to`', () => {
    expect(informationManagement([later])).toEqual({
      avgProfileCompleteness: null,
      marketingConsentShare: null,
      identifiedShare: null,
    });
  });
});
