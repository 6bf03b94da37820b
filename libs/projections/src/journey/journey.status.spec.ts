import { createEventFactory } from '@crm/domain/testing';
import { present, project } from '../shared/testing/projection-log.fixture';
import { evolveJourney } from './journey.projection';
import { journeyStatus } from './journey.status';

const LAST_PURCHASE = '2024-01-01T00:00:00.000Z';

describe('journeyStatus', () => {
  it('is active for a customer who never purchased, however long ago they registered', () => {
    expect(journeyStatus({ lastPurchaseAt: null }, '2030-01-01T00:00:00.000Z')).toBe('active');
  });

  it('is active while the last purchase is at most 180 days before asOf', () => {
    expect(journeyStatus({ lastPurchaseAt: LAST_PURCHASE }, '2024-06-29T00:00:00.000Z')).toBe('active');
  });

  it('is lapsed once the last purchase is more than 180 days before asOf', () => {
    expect(journeyStatus({ lastPurchaseAt: LAST_PURCHASE }, '2024-06-29T00:00:00.001Z')).toBe('lapsed');
  });

  it('takes asOf as a Date as well as an ISO string', () => {
    expect(journeyStatus({ lastPurchaseAt: LAST_PURCHASE }, new Date('2025-01-01T00:00:00.000Z'))).toBe(
      'lapsed',
    );
  });

  it('honours a custom churn window', () => {
    const asOf = '2024-02-15T00:00:00.000Z';
    expect(journeyStatus({ lastPurchaseAt: LAST_PURCHASE }, asOf, 30)).toBe('lapsed');
    expect(journeyStatus({ lastPurchaseAt: LAST_PURCHASE }, asOf, 60)).toBe('active');
  });

  it('rejects an unparseable asOf instead of answering from NaN', () => {
    expect(() => journeyStatus({ lastPurchaseAt: LAST_PURCHASE }, 'yesterday')).toThrow(RangeError);
  });
});

describe('journeyStatus of a projected journey', () => {
  const f = createEventFactory();
  const journey = present(
    project(evolveJourney, [
      f.customerRegistered({}, { occurredAt: '2024-01-01T00:00:00.000Z' }),
      f.purchaseCompleted({ orderId: 'o-1' }, { occurredAt: '2024-02-01T00:00:00.000Z' }),
      f.purchaseCompleted({ orderId: 'o-2' }, { occurredAt: '2024-03-01T00:00:00.000Z' }),
    ]),
  );

  it('is active within the churn window of the last purchase', () => {
    expect(journeyStatus(journey, '2024-08-01T00:00:00.000Z')).toBe('active');
  });

  it('is lapsed after it, while the stage stays where it was', () => {
    expect(journeyStatus(journey, '2024-09-01T00:00:00.000Z')).toBe('lapsed');
    expect(journey.stage).toBe('retention');
  });
});
