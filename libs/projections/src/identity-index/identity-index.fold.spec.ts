import { type CrmEvent, ERASED_VALUE } from '@crm/domain';
import type { ProjectedEvent } from '../shared/projected-event';
import { BlindIndex, namePrefixes, nameSearchKey } from './blind-index';
import { foldIdentityIndex } from './identity-index.fold';

const blind = new BlindIndex(Buffer.alloc(32, 1));
const at = (day: number) => `2025-01-${String(day).padStart(2, '0')}T00:00:00.000Z`;

function registered(position: number, day: number, data: Record<string, unknown>): ProjectedEvent {
  const event = {
    type: 'CustomerRegistered',
    occurredAt: at(day),
    data: { customerId: 'ada', kind: 'person', name: 'Ada Lovelace', ...data },
  } as unknown as CrmEvent;
  return { event, position };
}

function updated(position: number, day: number, data: Record<string, unknown>): ProjectedEvent {
  return {
    event: { type: 'CustomerProfileUpdated', occurredAt: at(day), data } as unknown as CrmEvent,
    position,
  };
}

function erased(position: number): ProjectedEvent {
  const event = { type: 'CustomerErased', occurredAt: at(20), data: {} } as unknown as CrmEvent;
  return { event, position };
}

describe('BlindIndex', () => {
  it('gives equal entries for equal values of one field, different ones across fields and keys', () => {
    const entry = blind.entry('email', 'ada@example.com');
    expect(blind.entry('email', 'ada@example.com')).toBe(entry);
    expect(blind.entry('name', 'ada@example.com')).not.toBe(entry);
    expect(new BlindIndex(Buffer.alloc(32, 2)).entry('email', 'ada@example.com')).not.toBe(entry);
    expect(entry).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(entry).not.toContain('ada');
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new BlindIndex(Buffer.alloc(16))).toThrow('32 bytes');
  });
});

describe('name search keys', () => {
  it('fold width and case, collapse spaces, keep accents', () => {
    expect(nameSearchKey('  ÉMILE   Ｚola ')).toBe('émile zola');
    expect(nameSearchKey('   ')).toBeNull();
  });

  it('index prefixes of 1 to 6 characters', () => {
    expect(namePrefixes('ada lovelace')).toEqual(['a', 'ad', 'ada', 'ada ', 'ada l', 'ada lo']);
    expect(namePrefixes('bo')).toEqual(['b', 'bo']);
  });
});

describe('foldIdentityIndex', () => {
  it('indexes the normalised email, phone and name prefixes of the registration, as HMACs only', () => {
    const doc = foldIdentityIndex(
      'ada',
      null,
      [registered(1, 1, { email: ' Ada@Example.COM ', phone: '+44 20 7946 0958' })],
      blind,
    );
    expect(doc).toMatchObject({
      id: 'ada',
      position: 1,
      email: blind.entry('email', 'ada@example.com'),
      phone: blind.entry('phone', '+442079460958'),
      name1: blind.entry('name', 'a'),
      name6: blind.entry('name', 'ada lo'),
    });
    expect(JSON.stringify(doc)).not.toMatch(/ada@|example|7946|lovelace/i);
  });

  it('follows updates by occurredAt: null clears, a late update with an earlier occurredAt does not win', () => {
    const doc = foldIdentityIndex(
      'ada',
      null,
      [
        registered(1, 1, { email: 'ada@example.com' }),
        updated(2, 5, { email: 'ada@new.example', phone: '+14155552671' }),
        updated(3, 3, { email: 'stale@example.com' }),
        updated(4, 6, { phone: null, name: 'Bo' }),
      ],
      blind,
    );
    expect(doc).toMatchObject({
      position: 4,
      email: blind.entry('email', 'ada@new.example'),
      phone: null,
      name1: blind.entry('name', 'b'),
      name2: blind.entry('name', 'bo'),
      name3: null,
    });
  });

  it('indexes nothing for values that do not normalise or read [erased]', () => {
    const doc = foldIdentityIndex(
      'ada',
      null,
      [registered(1, 1, { name: ERASED_VALUE, email: ERASED_VALUE, phone: '020 7946 0958' })],
      blind,
    );
    expect(doc).toMatchObject({ email: null, phone: null, name1: null });
  });

  it('is erased by CustomerErased, and leaves a document alone for events it has applied or does not index', () => {
    const doc = foldIdentityIndex('ada', null, [registered(1, 1, { email: 'ada@example.com' })], blind);
    if (doc === null || doc === 'erased') throw new Error('no document');
    expect(foldIdentityIndex('ada', doc, [registered(1, 1, { email: 'x@example.com' })], blind)).toBe(doc);
    const touch = {
      event: { type: 'ConsentChanged', occurredAt: at(2), data: {} } as unknown as CrmEvent,
      position: 2,
    };
    expect(foldIdentityIndex('ada', doc, [touch], blind)).toBe(doc);
    expect(foldIdentityIndex('ada', doc, [erased(3)], blind)).toBe('erased');
  });
});
