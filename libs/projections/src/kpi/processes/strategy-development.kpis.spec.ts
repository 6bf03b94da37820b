import { computeKpis } from '../compute-kpis';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { at, customerFacts, MARCH_2024 } from '../testing/kpi-facts.fixture';

const strategyDevelopment = (facts: readonly KpiFactsDocument[]) =>
  computeKpis(facts, MARCH_2024).strategyDevelopment;

describe('strategy development KPIs', () => {
  describe('newCustomers', () => {
    const registrations = [
      customerFacts({ id: 'at-from', registeredAt: '2024-03-01T00:00:00Z', segment: 'smb' }),
      customerFacts({ id: 'person', registeredAt: '2024-03-10', kind: 'person' }),
      customerFacts({
        id: 'company',
        registeredAt: '2024-03-31T23:59:59Z',
        kind: 'company',
        segment: 'enterprise',
      }),
      customerFacts({ id: 'moved', registeredAt: '2024-03-05', kind: 'company', segment: 'smb' }, (f) => [
        f.profileUpdated({ segment: 'enterprise' }, at('2024-03-20')),
        f.profileUpdated({ segment: 'public' }, at('2024-04-02')),
      ]),
      customerFacts({ id: 'before', registeredAt: '2024-02-29T23:59:59Z', segment: 'smb' }),
      customerFacts({ id: 'at-to', registeredAt: '2024-04-01T00:00:00Z', segment: 'smb' }),
    ];

    it('counts the customers registered in [from, to) by kind', () => {
      const { newCustomers } = strategyDevelopment(registrations);
      expect(newCustomers.total).toBe(4);
      expect(newCustomers.byKind).toEqual({ person: 2, company: 2 });
    });

    it('counts them under the segment they had at `to`, unknown when none', () => {
      expect(strategyDevelopment(registrations).newCustomers.bySegment).toEqual({
        smb: 1,
        unknown: 1,
        enterprise: 2,
      });
    });

    it('crosses kind and segment, listing both kinds even without new customers', () => {
      expect(strategyDevelopment(registrations).newCustomers.byKindAndSegment).toEqual({
        person: { smb: 1, unknown: 1 },
        company: { enterprise: 2 },
      });
      expect(strategyDevelopment([]).newCustomers.byKindAndSegment).toEqual({ person: {}, company: {} });
    });
  });

  describe('revenueBySegment', () => {
    it('nets purchases and refunds of the period per segment', () => {
      const facts = [
        customerFacts({ id: 'a', registeredAt: '2024-01-01', segment: 'smb' }, (f) => [
          f.purchaseCompleted({ orderId: 'a-1', amount: 3_000 }, at('2024-03-02')),
          f.purchaseRefunded({ orderId: 'a-1', amount: 1_000 }, at('2024-03-09')),
        ]),
        customerFacts({ id: 'b', registeredAt: '2024-01-01', segment: 'smb' }, (f) => [
          f.purchaseCompleted({ orderId: 'b-1', amount: 500 }, at('2024-03-15')),
          f.purchaseCompleted({ orderId: 'b-0', amount: 9_999 }, at('2024-02-15')),
        ]),
        customerFacts({ id: 'c', registeredAt: '2024-01-01' }, (f) => [
          f.purchaseCompleted({ orderId: 'c-1', amount: 700 }, at('2024-03-20')),
        ]),
        customerFacts({ id: 'd', registeredAt: '2024-01-01', segment: 'enterprise' }, (f) => [
          f.purchaseCompleted({ orderId: 'd-1', amount: 400 }, at('2024-02-20')),
          f.purchaseRefunded({ orderId: 'd-1', amount: 400 }, at('2024-03-20')),
        ]),
        customerFacts({ id: 'e', registeredAt: '2024-01-01', segment: 'public' }, (f) => [f.callLogged()]),
      ];
      expect(strategyDevelopment(facts).revenueBySegment).toEqual({
        smb: 3_000 - 1_000 + 500,
        unknown: 700,
        enterprise: -400,
      });
    });
  });

  it('is empty, not null, when nothing happened', () => {
    expect(strategyDevelopment([])).toEqual({
      newCustomers: {
        total: 0,
        byKind: { person: 0, company: 0 },
        bySegment: {},
        byKindAndSegment: { person: {}, company: {} },
      },
      revenueBySegment: {},
    });
  });
});
