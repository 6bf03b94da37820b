import { type CrmEvent, ERASED_VALUE, PERSONAL_FIELDS } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import { evolveIdic } from '../idic';
import { evolveJourney, type JourneyDocument, timelineEntry } from '../journey';
import { evolveKpiFacts } from '../kpi';
import { type Evolve, present, project } from '../shared/testing/projection-log.fixture';

const f = createEventFactory({ customerId: 'erase-me' });

const history: CrmEvent[] = [
  f.customerRegistered({
    name: 'Zelda Quimby',
    email: 'Zelda.Quimby@Example.org',
    phone: '+44 20 7946 0123',
    segment: 'vip',
    attributes: { favouriteColour: 'ultramarine' },
  }),
  f.callLogged({ direction: 'inbound', notes: 'asked about the blue kettle' }),
  f.emailLogged({ direction: 'inbound', subject: 'kettle warranty' }),
  f.meetingHeld({ location: '12 Quimby Lane' }),
  f.purchaseCompleted({ orderId: 'o-1', amount: 5_000 }),
  f.purchaseRefunded({ orderId: 'o-1', amount: 1_000, reason: 'dented by the courier' }),
  f.surveyAnswered({ surveyType: 'nps', score: 10, comment: 'lovely people' }),
  f.supportCaseOpened({ caseId: 'case-1', subject: 'lid will not close' }),
];
const erasure = f.customerErased({ reason: 'gdpr-art-17' });

/** The history as the log reads it once the customer's data key is gone. */
function shredded(event: CrmEvent): CrmEvent {
  const data: Record<string, unknown> = { ...event.data };
  for (const field of PERSONAL_FIELDS[event.type]) if (field in data) data[field] = ERASED_VALUE;
  return { ...event, data } as CrmEvent;
}

const PLAINTEXT = [
  'Zelda',
  'Quimby',
  'zelda.quimby@example.org',
  '+442079460123',
  '7946',
  'ultramarine',
  'kettle',
  'Lane',
  'courier',
  'lovely',
  'lid will not close',
];

function expectNoPersonalData(doc: unknown): void {
  const json = JSON.stringify(doc);
  for (const value of PLAINTEXT) expect(json).not.toContain(value);
}

describe.each<[string, Evolve<unknown>]>([
  ['journey', evolveJourney as Evolve<unknown>],
  ['idic', evolveIdic as Evolve<unknown>],
  ['kpi facts', evolveKpiFacts as Evolve<unknown>],
])('the %s projection on CustomerErased', (_name, evolve) => {
  const live = present(project(evolve, [...history, erasure]));
  const rebuilt = present(project(evolve, [...history.map(shredded), erasure]));

  it('keeps no personal value of the customer', () => {
    expectNoPersonalData(live);
  });

  it('ends where a rebuild over the shredded log ends', () => {
    expect(rebuilt).toEqual(live);
  });

  it('changes nothing but the position, so the figures stay as they were', () => {
    const before = present(project(evolve, history)) as Record<string, unknown>;
    const { position: _after, ...afterRest } = live as Record<string, unknown>;
    const { position: _before, ...beforeRest } = before;
    const scrubbed = withoutIdentityValues(beforeRest);
    expect(withoutIdentityValues(afterRest)).toEqual(scrubbed);
  });
});

/** The only values erasure changes are the identity keys IDIC keeps; everything else must be equal. */
function withoutIdentityValues(doc: Record<string, unknown>): unknown {
  return JSON.parse(
    JSON.stringify(doc, (key, value: unknown) => (key === 'value' || key === 'identity' ? undefined : value)),
  ) as unknown;
}

describe('identity values', () => {
  it('are never kept (presence only), and completeness stays as it was after erasure', () => {
    const before = present(project(evolveIdic, history));
    const after = present(project(evolveIdic, [...history, erasure]));
    expect(JSON.stringify(before)).not.toContain('zelda');
    expect(JSON.stringify(before)).not.toContain('2079460123');
    expect(after.profileCompleteness).toBe(before.profileCompleteness);
  });
});

describe('the timeline', () => {
  it('has no entry for CustomerErased and none of the free text of the touchpoints', () => {
    let journey: JourneyDocument | null = null;
    const entries: unknown[] = [];
    [...history, erasure].forEach((event, index) => {
      const e = { event, position: index + 1 };
      journey = evolveJourney(journey, e);
      entries.push(timelineEntry(e, journey));
    });
    expect(entries[entries.length - 1]).toBeNull();
    expectNoPersonalData(entries);
  });
});
