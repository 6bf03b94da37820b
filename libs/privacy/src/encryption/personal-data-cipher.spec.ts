import { type CrmEvent, ERASED_VALUE, toStoredShape } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import type { RecordedEvent } from '@crm/event-store';
import { isEncryptedField } from '../crypto/field-cipher';
import { MasterKeyring } from '../crypto/master-keyring';
import { DataKeys } from '../key-store/data-keys';
import { InMemoryKeyStore } from '../testing/in-memory-key-store';
import { masterKey } from '../testing/keys';
import { PersonalDataCipher } from './personal-data-cipher';

const f = createEventFactory({ customerId: 'ada' });
const STREAM = 'customer-ada';

function setup() {
  const store = new InMemoryKeyStore();
  const keys = new DataKeys(store, MasterKeyring.of([masterKey('m')]));
  return { store, keys, cipher: new PersonalDataCipher(keys) };
}

function recorded(streamId: string, event: ReturnType<typeof toStoredShape>, revision = 0): RecordedEvent {
  return { ...event, streamId, revision, position: revision + 1, recordedAt: '2026-01-01T00:00:00.000Z' };
}

async function roundTrip(cipher: PersonalDataCipher, event: CrmEvent, streamId = STREAM) {
  const stored = await cipher.encrypt(streamId, toStoredShape(event));
  return { stored, read: await cipher.decrypt(recorded(streamId, stored)) };
}

describe('PersonalDataCipher', () => {
  it.each<[string, CrmEvent, string[]]>([
    [
      'a registration',
      f.customerRegistered({
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        phone: '+44 20 7946 0000',
        segment: 'vip',
        attributes: { hobby: 'engines' },
      }),
      ['name', 'email', 'phone', 'attributes'],
    ],
    ['a call', f.callLogged({ notes: 'wants a callback' }), ['notes']],
    ['an email', f.emailLogged({ subject: 'my invoice', campaignId: 'c-1' }), ['subject']],
    ['a meeting', f.meetingHeld({ location: 'her office' }), ['location']],
    ['a refund', f.purchaseRefunded({ reason: 'broken on arrival' }), ['reason']],
    ['a survey', f.surveyAnswered({ comment: 'great service' }), ['comment']],
    ['a support case', f.supportCaseOpened({ subject: 'lost parcel' }), ['subject']],
  ])('encrypts exactly the personal fields of %s and reads them back', async (_name, event, personal) => {
    const { cipher } = setup();
    const { stored, read } = await roundTrip(cipher, event);
    for (const [field, value] of Object.entries(event.data)) {
      if (personal.includes(field)) expect(isEncryptedField(stored.data[field])).toBe(true);
      else expect(stored.data[field]).toEqual(value);
    }
    expect(read.data).toEqual(event.data);
    expect({ ...stored, data: null }).toEqual({ ...toStoredShape(event), data: null });
  });

  it('creates no key for events without personal data', async () => {
    const { cipher, store } = setup();
    const purchase = toStoredShape(f.purchaseCompleted());
    expect(await cipher.encrypt(STREAM, purchase)).toEqual(purchase);
    expect(store.records.size).toBe(0);
  });

  it('leaves streams that are not customer streams as they are', async () => {
    const { cipher } = setup();
    const event = toStoredShape(f.callLogged({ notes: 'not a customer stream' }));
    expect(await cipher.encrypt('system-audit', event)).toEqual(event);
  });

  it('does not encrypt a field twice', async () => {
    const { cipher } = setup();
    const once = await cipher.encrypt(STREAM, toStoredShape(f.callLogged({ notes: 'once' })));
    expect(await cipher.encrypt(STREAM, once)).toEqual(once);
  });

  it('reads the personal fields as ERASED_VALUE once the key is shredded, and keeps the rest', async () => {
    const { cipher, keys } = setup();
    const refund = f.purchaseRefunded({ orderId: 'o-9', amount: 1234, currency: 'EUR', reason: 'too small' });
    const stored = await cipher.encrypt(STREAM, toStoredShape(refund));
    await keys.shred('ada');
    const read = await cipher.decrypt(recorded(STREAM, stored));
    expect(read.data).toEqual({ orderId: 'o-9', amount: 1234, currency: 'EUR', reason: ERASED_VALUE });
    expect(read.occurredAt).toBe(refund.occurredAt);
  });

  it("keeps one customer's data readable when another is erased", async () => {
    const { cipher, keys } = setup();
    const bob = createEventFactory({ customerId: 'bob', seed: 2 }).callLogged({ notes: 'bob notes' });
    const stored = await cipher.encrypt('customer-bob', toStoredShape(bob));
    await cipher.encrypt(STREAM, toStoredShape(f.callLogged({ notes: 'ada notes' })));
    await keys.shred('ada');
    expect((await cipher.decrypt(recorded('customer-bob', stored))).data).toEqual(bob.data);
  });
});
