import { EVENT_VERSIONS } from '../events/catalogue';
import { createEventFactory, TEST_METADATA } from './event-factory';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createEventFactory', () => {
  it('numbers eventIds and spaces occurredAt deterministically', () => {
    const f = createEventFactory({ startAt: '2024-03-01T00:00:00.000Z', stepMinutes: 30 });
    const first = f.customerRegistered();
    const second = f.callLogged();
    expect([first.eventId, second.eventId]).toEqual([
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000002',
    ]);
    expect([first.occurredAt, second.occurredAt]).toEqual([
      '2024-03-01T00:00:00.000Z',
      '2024-03-01T00:30:00.000Z',
    ]);
    expect(first.eventId).toMatch(UUID_V4);
  });

  it('produces the same events on every run', () => {
    expect(createEventFactory().purchaseCompleted()).toEqual(createEventFactory().purchaseCompleted());
  });

  it('keeps eventIds of factories with different seeds apart', () => {
    expect(createEventFactory({ seed: 1 }).callLogged().eventId).not.toBe(
      createEventFactory({ seed: 2 }).callLogged().eventId,
    );
  });

  it('stamps the current version and the fixed test metadata', () => {
    const event = createEventFactory().surveyAnswered();
    expect(event.version).toBe(EVENT_VERSIONS.SurveyAnswered);
    expect(event.metadata).toEqual(TEST_METADATA);
  });

  it('registers the factory customer and lets a test pin data and envelope fields', () => {
    const f = createEventFactory({ customerId: 'acme' });
    expect(f.customerRegistered().data.customerId).toBe('acme');
    const call = f.callLogged(
      { direction: 'outbound' },
      { eventId: 'fixed', metadata: { actor: 'agent-7' } },
    );
    expect(call).toMatchObject({
      eventId: 'fixed',
      data: { direction: 'outbound' },
      metadata: { actor: 'agent-7' },
    });
  });
});
