import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerStreamId, type CrmEvent, toStoredShape } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import { SqliteEventStore } from '@crm/event-store';
import { CustomerProfiles } from './customer-profiles';

describe('CustomerProfiles over the SQLite event store', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'profiles-'));
    store = await SqliteEventStore.open({ file: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = (customerId: string, ...events: CrmEvent[]) =>
    store.append(customerStreamId(customerId), events.map(toStoredShape));

  it('folds the profile from its profile events alone, however many touchpoints the stream holds', async () => {
    const f = createEventFactory({ customerId: 'many' });
    const touchpoints = Array.from({ length: 40 }, () => f.callLogged());
    await append(
      'many',
      f.customerRegistered({ name: 'Ada' }),
      ...touchpoints,
      f.profileUpdated({ name: 'Ada K' }),
    );
    const reads = jest.spyOn(store, 'readStream');
    const profile = await new CustomerProfiles(store).get('many');
    expect(profile?.fields.name?.value).toBe('Ada K');
    const returned = await Promise.all(
      reads.mock.results.map((result) => result.value as Promise<unknown[]>),
    );
    expect(returned.map((events) => events.length)).toEqual([2]);
  });

  it('keeps a current profile while the stream does not move, and folds again in the same call once it does', async () => {
    const f = createEventFactory({ customerId: 'kept' });
    await append('kept', f.customerRegistered({ name: 'Grace' }), f.callLogged());
    const profiles = new CustomerProfiles(store);
    const reads = jest.spyOn(store, 'readStream');
    expect((await profiles.get('kept'))?.fields.name?.value).toBe('Grace');
    expect((await profiles.get('kept'))?.fields.name?.value).toBe('Grace');
    expect(reads).toHaveBeenCalledTimes(1);

    // Any append moves the revision, a touchpoint too: the next read folds again and sees the change.
    await append('kept', f.profileUpdated({ name: 'Grace H' }));
    expect((await profiles.get('kept'))?.fields.name?.value).toBe('Grace H');
    expect(reads).toHaveBeenCalledTimes(2);
    const many = await profiles.getMany(['kept', 'absent']);
    expect([...many.keys()]).toEqual(['kept']);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('reads many: the revisions in one read, folding again only the profiles whose stream moved', async () => {
    const [a, b] = [
      createEventFactory({ customerId: 'a', seed: 1 }),
      createEventFactory({ customerId: 'b', seed: 2 }),
    ];
    await append('a', a.customerRegistered({ name: 'Ann' }));
    await append('b', b.customerRegistered({ name: 'Bob' }));
    const profiles = new CustomerProfiles(store);
    const names = async () =>
      [...(await profiles.getMany(['b', 'nobody', 'a']))].map(([id, state]) => [
        id,
        state.fields.name?.value,
      ]);
    expect(await names()).toEqual([
      ['b', 'Bob'],
      ['a', 'Ann'],
    ]);
    const reads = jest.spyOn(store, 'readStream');
    const revisions = jest.spyOn(store, 'streamRevisions');
    await append('a', a.profileUpdated({ name: 'Anna' }));
    expect(await names()).toEqual([
      ['b', 'Bob'],
      ['a', 'Anna'],
    ]);
    expect(reads.mock.calls.map(([streamId]) => streamId)).toEqual([customerStreamId('a')]);
    expect(revisions).toHaveBeenCalledTimes(1);
  });

  it('never keeps an erased profile: every read of it goes to the store', async () => {
    const f = createEventFactory({ customerId: 'gone' });
    await append(
      'gone',
      f.customerRegistered({ name: 'Linus' }),
      f.customerErased({ reason: 'gdpr-art-17' }),
    );
    const profiles = new CustomerProfiles(store);
    const reads = jest.spyOn(store, 'readStream');
    expect((await profiles.get('gone'))?.erasedAt).not.toBeNull();
    await profiles.get('gone');
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('reads time travel from the store, never from what it keeps', async () => {
    const f = createEventFactory({
      customerId: 'then',
      startAt: '2025-01-01T00:00:00.000Z',
      stepMinutes: 60 * 24,
    });
    await append('then', f.customerRegistered({ name: 'Old' }), f.profileUpdated({ name: 'New' }));
    const profiles = new CustomerProfiles(store);
    expect((await profiles.get('then'))?.fields.name?.value).toBe('New');
    const before = await profiles.get('then', { occurredBefore: '2025-01-01T12:00:00.000Z' });
    expect(before?.fields.name?.value).toBe('Old');
    expect(await profiles.get('then', { occurredBefore: '2024-12-31T00:00:00.000Z' })).toBeNull();
  });

  it('keeps nothing when asked to keep none', async () => {
    const f = createEventFactory({ customerId: 'none' });
    await append('none', f.customerRegistered());
    const profiles = new CustomerProfiles(store, { cachedProfiles: 0 });
    const reads = jest.spyOn(store, 'readStream');
    await profiles.get('none');
    await profiles.get('none');
    expect(reads).toHaveBeenCalledTimes(2);
  });
});
