import { createEventFactory } from '@crm/domain/testing';
import { InvalidCursorError, InvalidQueryError } from '@crm/read-store';
import { customerStreamId } from '@crm/domain';
import type { TimelineEntry } from '../journey/journey.timeline';
import { JourneyQueries } from './journey.queries';
import { eventsOf, projectedReadModels, type ProjectedReadModels } from './testing/projected-read-models';

const at = (occurredAt: string) => ({ occurredAt });

describe('JourneyQueries', () => {
  const ada = createEventFactory({ customerId: 'ada', seed: 1 });
  const bob = createEventFactory({ customerId: 'bob', seed: 2 });
  const sameInstant = '2024-01-10T09:00:00.000Z';
  let models: ProjectedReadModels;

  beforeAll(async () => {
    models = await projectedReadModels([
      ...eventsOf(
        ada,
        ada.customerRegistered({ kind: 'person', segment: 'retail' }, at('2024-01-01T09:00:00Z')),
      ),
      ...eventsOf(bob, bob.customerRegistered({}, at('2024-01-01T10:00:00Z'))),
      ...eventsOf(
        ada,
        ada.emailLogged({ direction: 'inbound' }, at('2024-01-03T09:00:00Z')),
        ada.purchaseCompleted({ orderId: 'o-1', channel: 'store' }, at('2024-01-20T09:00:00Z')),
      ),
      ...eventsOf(bob, bob.callLogged({}, at('2024-01-05T09:00:00Z'))),
      ...eventsOf(
        ada,
        ada.surveyAnswered({ surveyType: 'csat', score: 5 }, at(sameInstant)),
        ada.messageLogged({ channel: 'sms' }, at(sameInstant)),
        // Back-dated: logged last, happened second.
        ada.callLogged({ direction: 'outbound' }, at('2024-01-02T09:00:00Z')),
      ),
    ]);
  });
  afterAll(() => models.close());

  const queries = (options?: ConstructorParameters<typeof JourneyQueries>[2]) =>
    new JourneyQueries(models.store, models.events, options);

  it('is null for a customer it does not know', async () => {
    expect(await queries().get('nobody', { asOf: '2024-02-01T00:00:00Z' })).toBeNull();
  });

  it('returns the journey with its status at asOf and the first timeline page', async () => {
    const journey = await queries().get('ada', { asOf: '2024-02-01T00:00:00+01:00' });
    expect(journey).toMatchObject({
      customerId: 'ada',
      kind: 'person',
      segment: 'retail',
      asOf: '2024-01-31T23:00:00.000Z',
      stage: 'conversion',
      stageHistory: [
        { stage: 'reach', reachedAt: '2024-01-01T09:00:00.000Z' },
        { stage: 'acquisition', reachedAt: '2024-01-03T09:00:00.000Z' },
        { stage: 'conversion', reachedAt: '2024-01-20T09:00:00.000Z' },
      ],
      status: 'active',
      registeredAt: '2024-01-01T09:00:00.000Z',
      firstTouchAt: '2024-01-02T09:00:00.000Z',
      lastTouchAt: '2024-01-20T09:00:00.000Z',
      touchpoints: 5,
      touchpointsByChannel: { phone: 1, email: 1, store: 1, survey: 1, sms: 1 },
      firstPurchaseAt: '2024-01-20T09:00:00.000Z',
      lastPurchaseAt: '2024-01-20T09:00:00.000Z',
      daysToConvert: 19,
    });
    expect(journey?.timeline.items).toHaveLength(5);
    expect(journey?.timeline.nextCursor).toBeNull();
  });

  it('orders the timeline by occurredAt, then log position, whatever the arrival order', async () => {
    const journey = await queries().get('ada', { asOf: '2024-02-01T00:00:00Z' });
    const order = journey?.timeline.items.map((item) => [item.type, item.occurredAt]);
    expect(order).toEqual([
      ['CallLogged', '2024-01-02T09:00:00.000Z'],
      ['EmailLogged', '2024-01-03T09:00:00.000Z'],
      ['SurveyAnswered', sameInstant],
      ['MessageLogged', sameInstant],
      ['PurchaseCompleted', '2024-01-20T09:00:00.000Z'],
    ]);
  });

  it('pages the timeline with the cursor, each entry exactly once, only this customer', async () => {
    const items: TimelineEntry[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const journey = await queries().get('ada', { asOf: '2024-02-01T00:00:00Z', limit: 2, cursor });
      items.push(...(journey?.timeline.items ?? []));
      cursor = journey?.timeline.nextCursor ?? undefined;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(new Set(items.map((item) => item.id)).size).toBe(5);
    expect(items.every((item) => item.customerId === 'ada')).toBe(true);
  });

  it('is lapsed once the last purchase is more than the churn window before asOf', async () => {
    expect((await queries().get('ada', { asOf: '2024-07-18T09:00:00Z' }))?.status).toBe('active');
    expect((await queries().get('ada', { asOf: '2024-07-18T09:00:00.001Z' }))?.status).toBe('lapsed');
    expect(
      (await queries({ churnWindowDays: 30 }).get('ada', { asOf: '2024-03-01T00:00:00Z' }))?.status,
    ).toBe('lapsed');
  });

  it('evaluates at its clock when no asOf is given', async () => {
    const later = queries({ now: () => new Date('2030-01-01T00:00:00Z') });
    expect(await later.get('ada')).toMatchObject({ asOf: '2030-01-01T00:00:00.000Z', status: 'lapsed' });
  });

  it('stays active for a customer who never bought', async () => {
    expect((await queries().get('bob', { asOf: '2030-01-01T00:00:00Z' }))?.status).toBe('active');
  });

  it('rejects an unparseable asOf and a page size out of range', async () => {
    await expect(queries().get('ada', { asOf: 'yesterday' })).rejects.toThrow(RangeError);
    await expect(queries().get('ada', { asOf: '2024-02-01T00:00:00Z', limit: 0 })).rejects.toThrow(
      InvalidQueryError,
    );
  });

  it('rejects a cursor no page handed out', async () => {
    await expect(queries().get('ada', { cursor: 'not-a-cursor' })).rejects.toThrow(InvalidCursorError);
    const adasCursor = (await queries().get('ada', { limit: 1 }))?.timeline.nextCursor ?? undefined;
    expect(adasCursor).toEqual(expect.any(String));
    await expect(queries().get('bob', { cursor: adasCursor })).rejects.toThrow(InvalidCursorError);
  });

  it('shows in the timeline only the events the journey document reflects', async () => {
    const carl = createEventFactory({ customerId: 'carl', seed: 3 });
    await models.append(eventsOf(carl, carl.customerRegistered({}, at('2024-03-01T09:00:00Z'))));
    await models.append(eventsOf(carl, carl.callLogged({}, at('2024-03-02T09:00:00Z'))));
    // Logged but not projected yet: the counters do not include it, so neither does the timeline.
    await models.events.append(customerStreamId('carl'), [carl.emailLogged({}, at('2024-03-03T09:00:00Z'))]);

    const journey = await queries().get('carl', { asOf: '2024-04-01T00:00:00Z' });
    expect(journey?.touchpoints).toBe(1);
    expect(journey?.timeline.items.map((item) => item.type)).toEqual(['CallLogged']);
  });
});
