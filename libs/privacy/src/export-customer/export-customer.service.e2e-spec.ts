import 'reflect-metadata';
import { customerStreamId } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import { SqliteEventStore } from '@crm/event-store';
import { Slicer } from '@crm/platform';
import { SqliteReadStore } from '@crm/read-store';
import { InMemoryKeyStore } from '../testing/in-memory-key-store';
import { ExportCustomerService } from './export-customer.service';

/** One customer with a stream of three pages: a registration and 2,400 calls. */
describe('ExportCustomerService', () => {
  const ada = createEventFactory({ customerId: 'ada', seed: 1 });
  const calls = 2400;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;
  let service: ExportCustomerService;

  beforeAll(async () => {
    events = await SqliteEventStore.open({ file: ':memory:' });
    readStore = await SqliteReadStore.open({ file: ':memory:' });
    await events.append(customerStreamId('ada'), [
      ada.customerRegistered({ name: 'Ada' }),
      ...Array.from({ length: calls }, () => ada.callLogged({})),
    ]);
    const clock = { now: () => new Date('2026-01-01T00:00:00.000Z') };
    service = new ExportCustomerService(events, readStore, new InMemoryKeyStore(), clock);
  });
  afterAll(async () => {
    await readStore.close();
    await events.close();
  });

  it('exports every event of a long stream, in stream order', async () => {
    const exported = await service.export('ada');

    expect(exported.events.map((event) => event.streamRevision)).toEqual(
      Array.from({ length: calls + 1 }, (_, revision) => revision),
    );
    expect(exported.profile.fields).toMatchObject({ name: 'Ada' });
  });

  it('lets what waits on the event loop run between pages of the stream', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('next turn'));

    const exported = await service.export('ada', new Slicer({ sliceMs: 0 }));
    order.push('export done');

    expect(exported.events).toHaveLength(calls + 1);
    expect(order).toEqual(['next turn', 'export done']);
  });
});
