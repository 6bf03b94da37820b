import type { ReadStore } from '@crm/read-store';
import { WebhookStore } from '../webhook-store';
import type { WebhookDeliveryDocument, WebhookSubscriptionDocument } from '../webhook.documents';

const AT = '2026-12-04T10:00:00.000Z';

function subscription(id: string): WebhookSubscriptionDocument {
  return {
    id,
    position: 1,
    url: 'https://hooks.example.com/crm',
    eventTypes: null,
    description: null,
    status: 'active',
    pausedReason: null,
    pausedAt: null,
    startAfter: 0,
    secret: { masterKeyId: 'main', sealed: 'c2VhbGVk' },
    failingSince: null,
    lastError: null,
    createdAt: AT,
    updatedAt: AT,
  };
}

function delivery(
  subscriptionId: string,
  eventPosition: number,
  status: WebhookDeliveryDocument['status'],
  streamId = 'customer-ada',
): WebhookDeliveryDocument {
  const eventId = `evt-${eventPosition}`;
  return {
    id: `${subscriptionId}:${eventId}`,
    position: 1,
    subscriptionId,
    eventId,
    eventPosition,
    streamId,
    revision: eventPosition,
    type: 'MeetingHeld',
    status,
    attempts: status === 'held' ? 0 : 3,
    targetDown: false,
    lastError: status === 'held' ? null : 'HTTP 500',
    lastStatusCode: status === 'held' ? null : 500,
    createdAt: AT,
    updatedAt: AT,
  };
}

/**
 * What the webhooks need of a read store, run against each engine: the
 * revision guard as compare-and-set, the checkpoint and the deliveries of
 * a page in one unit, replays changing nothing.
 */
export function webhookStoreContract(engine: string, open: () => Promise<ReadStore>): void {
  describe(`WebhookStore on ${engine}`, () => {
    let readStore: ReadStore;
    let store: WebhookStore;
    let n = 0;
    const nextId = () => `sub-${++n}-${Date.now()}`;

    beforeEach(async () => {
      readStore = await open();
      store = new WebhookStore(readStore);
    });
    afterEach(() => readStore.close());

    it('creates, reads and updates a subscription one revision at a time', async () => {
      const id = nextId();
      await store.create(subscription(id));

      const paused = await store.update(id, () => ({ status: 'paused', pausedReason: 'by test' }));
      const unchanged = await store.update(id, () => null);

      expect(paused).toMatchObject({ position: 2, status: 'paused', pausedReason: 'by test' });
      expect(unchanged).toEqual(paused);
      expect(await store.subscription(id)).toEqual(paused);
      expect((await store.subscriptions()).map((s) => s.id)).toContain(id);
      expect(await store.update('nobody', () => ({ status: 'paused' }))).toBeNull();
    });

    it('keeps both of two updates made at once: the one that lost the revision reads again and reapplies', async () => {
      const id = nextId();
      await store.create(subscription(id));
      const other = new WebhookStore(readStore);

      await Promise.all([
        store.update(id, () => ({ status: 'paused', pausedReason: 'by an admin' })),
        other.update(id, () => ({ failingSince: AT, lastError: 'HTTP 503' })),
      ]);

      expect(await store.subscription(id)).toMatchObject({
        position: 3,
        status: 'paused',
        pausedReason: 'by an admin',
        failingSince: AT,
        lastError: 'HTTP 503',
      });
    });

    it('raises the checkpoint with the deliveries a page parked and held; a replay of it changes nothing', async () => {
      const id = nextId();
      await store.create(subscription(id));
      const page = [
        delivery(id, 12, 'held'),
        delivery(id, 10, 'parked'),
        delivery(id, 11, 'held', 'customer-bo'),
      ];

      await store.advance(id, 15, page);
      const [parked] = await store.deliveries(id, ['parked']);
      await store.saveDeliveries([
        { ...(parked as WebhookDeliveryDocument), position: 2, status: 'retrying' },
      ]);
      await store.advance(id, 15, page);

      expect(await store.checkpoint(id)).toBe(15);
      expect((await store.pending(id)).map((d) => [d.eventPosition, d.status, d.position])).toEqual([
        [10, 'retrying', 2],
        [11, 'held', 1],
        [12, 'held', 1],
      ]);
      expect(await store.countDeliveries(id, 'held')).toBe(2);
      expect(
        (await store.deliveryPage(id, { status: 'held', limit: 1 })).items.map((d) => d.eventPosition),
      ).toEqual([11]);
    });

    it('removes delivered ones, keeps skipped ones out of the pending, and a delete takes everything', async () => {
      const id = nextId();
      await store.create(subscription(id));
      await store.advance(id, 30, [
        delivery(id, 20, 'parked'),
        delivery(id, 21, 'held'),
        delivery(id, 22, 'held'),
      ]);
      const [first, second] = await store.pending(id);

      await store.saveDeliveries([{ ...(first as WebhookDeliveryDocument), position: 2, status: 'skipped' }]);
      await store.removeDeliveries([second as WebhookDeliveryDocument]);

      expect((await store.pending(id)).map((d) => d.eventPosition)).toEqual([22]);
      expect((await store.deliveries(id)).map((d) => [d.eventPosition, d.status])).toEqual([
        [20, 'skipped'],
        [22, 'held'],
      ]);

      await store.delete(id);

      expect(await store.subscription(id)).toBeNull();
      expect(await store.deliveries(id)).toEqual([]);
      expect(await store.checkpoint(id)).toBe(0);
    });
  });
}
