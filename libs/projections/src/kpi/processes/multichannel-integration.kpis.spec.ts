import { TOUCHPOINT_CHANNELS, type TouchpointChannel } from '@crm/domain';
import { computeKpis } from '../compute-kpis';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { at, customerFacts, MARCH_2024 } from '../testing/kpi-facts.fixture';

const multichannel = (facts: readonly KpiFactsDocument[]) =>
  computeKpis(facts, MARCH_2024).multichannelIntegration;

const noTouchpoints = Object.fromEntries(TOUCHPOINT_CHANNELS.map((channel) => [channel, 0])) as Record<
  TouchpointChannel,
  number
>;

/** A support case opened at `opened` and first answered `minutes` later. */
const answeredCase = (caseId: string, opened: string, minutes: number) =>
  customerFacts({ id: `owner-of-${caseId}`, registeredAt: '2024-01-01' }, (f) => [
    f.supportCaseOpened({ caseId }, at(opened)),
    f.supportCaseResponded({ caseId }, at(new Date(Date.parse(opened) + minutes * 60_000).toISOString())),
  ]);

describe('multichannel integration KPIs', () => {
  const omnichannel = customerFacts({ id: 'omni', registeredAt: '2024-01-01' }, (f) => [
    f.consentChanged({}, at('2024-03-01')),
    f.profileUpdated({ segment: 'smb' }, at('2024-03-01')),
    f.callLogged({ direction: 'inbound' }, at('2024-03-02')),
    f.emailLogged({ direction: 'outbound' }, at('2024-03-03')),
    f.purchaseCompleted({ orderId: 'o-1', channel: 'store' }, at('2024-02-20')),
    f.purchaseRefunded({ orderId: 'o-1' }, at('2024-03-04')),
    f.purchaseCompleted({ orderId: 'o-2', channel: 'phone' }, at('2024-03-05')),
  ]);
  const chatOnly = customerFacts({ id: 'chat', registeredAt: '2024-01-01' }, (f) => [
    f.messageLogged({ channel: 'chat' }, at('2024-03-10')),
    f.messageLogged({ channel: 'chat' }, at('2024-03-11')),
    f.emailLogged({}, at('2024-04-01')),
  ]);
  const quietInMarch = customerFacts({ id: 'quiet', registeredAt: '2024-01-01' }, (f) => [
    f.callLogged({}, at('2024-02-27')),
    f.meetingHeld({}, at('2024-04-02')),
  ]);

  it('counts the touchpoints of the period per channel, a refund under its purchase channel', () => {
    expect(multichannel([omnichannel, chatOnly, quietInMarch]).touchpointsByChannel).toEqual({
      ...noTouchpoints,
      phone: 2,
      email: 1,
      store: 1,
      chat: 2,
    });
  });

  it('shares customers with touchpoints on two or more channels among those with any', () => {
    // omni: phone, email, store; chat: chat only; quiet: nothing in March.
    expect(multichannel([omnichannel, chatOnly, quietInMarch]).multichannelShare).toBe(1 / 2);
  });

  describe('medianFirstResponseMinutes', () => {
    it('takes the middle response time of an odd count', () => {
      const cases = [
        answeredCase('a', '2024-03-01T09:00:00Z', 10),
        answeredCase('b', '2024-03-10T09:00:00Z', 30),
        answeredCase('c', '2024-03-20T09:00:00Z', 20),
      ];
      expect(multichannel(cases).medianFirstResponseMinutes).toBe(20);
    });

    it('averages the middle two of an even count, including a case answered after the period', () => {
      const cases = [
        answeredCase('a', '2024-03-01T09:00:00Z', 10),
        answeredCase('b', '2024-03-10T09:00:00Z', 30),
        answeredCase('c', '2024-03-20T09:00:00Z', 20),
        answeredCase('d', '2024-03-31T23:30:00Z', 50),
      ];
      expect(multichannel(cases).medianFirstResponseMinutes).toBe(25);
    });

    it('covers only cases opened in the period that have a response, without rounding', () => {
      const cases = [
        answeredCase('opened-before', '2024-02-29T23:50:00Z', 20),
        answeredCase('in-period', '2024-03-05T09:00:00Z', 1.5),
        customerFacts({ id: 'unanswered', registeredAt: '2024-01-01' }, (f) => [
          f.supportCaseOpened({ caseId: 'u' }, at('2024-03-06')),
          f.supportCaseResolved({ caseId: 'u' }, at('2024-03-07')),
        ]),
      ];
      expect(multichannel(cases).medianFirstResponseMinutes).toBe(1.5);
    });
  });

  describe('slaBreachRate', () => {
    const cases = customerFacts({ id: 'cases', registeredAt: '2024-01-01' }, (f) => [
      f.supportCaseOpened({ caseId: 'opened-before' }, at('2024-02-29T23:00:00Z')),
      f.supportCaseSlaBreached({ caseId: 'opened-before' }, at('2024-03-01T00:00:00Z')),
      f.supportCaseOpened({ caseId: 'breached-in-march' }, at('2024-03-05T09:00:00Z')),
      f.supportCaseSlaBreached({ caseId: 'breached-in-march' }, at('2024-03-05T13:00:00Z')),
      f.supportCaseOpened({ caseId: 'breached-after' }, at('2024-03-31T23:00:00Z')),
      f.supportCaseSlaBreached({ caseId: 'breached-after' }, at('2024-04-01T03:00:00Z')),
      f.supportCaseOpened({ caseId: 'answered-in-time' }, at('2024-03-10T09:00:00Z')),
      f.supportCaseResponded({ caseId: 'answered-in-time' }, at('2024-03-10T09:30:00Z')),
      f.supportCaseOpened({ caseId: 'resolved-unanswered' }, at('2024-03-20T09:00:00Z')),
      f.supportCaseResolved({ caseId: 'resolved-unanswered' }, at('2024-03-20T09:10:00Z')),
    ]);

    it('divides the cases opened in the period that breached, whenever, by the cases opened in it', () => {
      // Opened in March: breached-in-march, breached-after, answered-in-time, resolved-unanswered.
      expect(multichannel([cases]).slaBreachRate).toBe(2 / 4);
    });

    it('does not count a breach in the period of a case opened before it', () => {
      const february = { from: '2024-02-01T00:00:00.000Z', to: '2024-03-01T00:00:00.000Z' };
      expect(computeKpis([cases], february).multichannelIntegration.slaBreachRate).toBe(1);
      const april = { from: '2024-04-01T00:00:00.000Z', to: '2024-05-01T00:00:00.000Z' };
      expect(computeKpis([cases], april).multichannelIntegration.slaBreachRate).toBeNull();
    });

    it('counts a breach logged before its case was opened', () => {
      const imported = customerFacts({ id: 'imported', registeredAt: '2024-01-01' }, (f) => [
        f.supportCaseSlaBreached({ caseId: 'x' }, at('2024-03-02T13:00:00Z')),
        f.supportCaseSlaBreached({ caseId: 'never-opened' }, at('2024-03-02T13:00:00Z')),
        f.supportCaseOpened({ caseId: 'x' }, at('2024-03-02T09:00:00Z')),
      ]);
      expect(multichannel([imported]).slaBreachRate).toBe(1);
    });
  });

  it('lists every channel at 0 and has null shares when there was no touchpoint', () => {
    expect(multichannel([quietInMarch])).toEqual({
      touchpointsByChannel: noTouchpoints,
      multichannelShare: null,
      medianFirstResponseMinutes: null,
      slaBreachRate: null,
    });
  });
});
