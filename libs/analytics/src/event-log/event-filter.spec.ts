import { parseEventFilter } from './event-filter';

describe('parseEventFilter', () => {
  it('reads every filter, canonicalising instants and de-duplicating types', () => {
    expect(
      parseEventFilter({
        types: 'CallLogged, SurveyAnswered,CallLogged',
        customerId: 'ada',
        occurredFrom: '2025-01-01T01:00:00+01:00',
        occurredTo: '2025-02-01T00:00:00Z',
        afterPosition: '10',
        toPosition: '20',
        limit: '5',
      }),
    ).toEqual({
      ok: true,
      filter: {
        types: ['CallLogged', 'SurveyAnswered'],
        customerId: 'ada',
        occurredFrom: '2025-01-01T00:00:00.000Z',
        occurredTo: '2025-02-01T00:00:00.000Z',
        afterPosition: 10,
        toPosition: 20,
        limit: 5,
      },
    });
  });

  it('treats empty values as absent', () => {
    expect(parseEventFilter({ types: '', limit: '' })).toEqual({ ok: true, filter: {} });
  });

  it('names every bad field at once, unknown ones included', () => {
    const parsed = parseEventFilter({
      types: 'Nope',
      occurredTo: '2025-02-30T00:00:00Z',
      toPosition: '1.5',
      limit: '0',
      sort: 'desc',
      customerId: ['a', 'b'],
    });
    expect(parsed.ok ? [] : parsed.details.map((detail) => detail.field).sort()).toEqual(
      ['customerId', 'limit', 'occurredTo', 'sort', 'toPosition', 'types'].sort(),
    );
  });
});
