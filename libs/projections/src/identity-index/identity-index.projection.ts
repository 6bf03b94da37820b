import type { StoredDocument, Write } from '@crm/read-store';
import { groupByCustomer, type Projection } from '../runner/projection';
import type { BlindIndex } from './blind-index';
import {
  IDENTITY_INDEX_COLLECTION,
  type IdentityIndexDocument,
  NAME_PREFIX_FIELDS,
} from './identity-index.document';
import { foldIdentityIndex } from './identity-index.fold';

type Doc = IdentityIndexDocument & StoredDocument;

/**
 * The blind index of identity keys and name prefixes, folded from the
 * decrypted events like every read model (so it is rebuilt, versioned,
 * waited for and scrubbed like them, on every transport and read store),
 * holding HMACs only. `CustomerErased` deletes the customer's document.
 */
export function identityIndexProjection(blind: BlindIndex): Projection {
  return {
    name: 'identity-index',
    perCustomer: true,
    collections: [{ name: IDENTITY_INDEX_COLLECTION, indexes: ['email', 'phone', ...NAME_PREFIX_FIELDS] }],
    async project(batch, reader) {
      const byCustomer = groupByCustomer(batch);
      const stored = await reader.getMany<Doc>(IDENTITY_INDEX_COLLECTION, [...byCustomer.keys()]);
      const docs = new Map(stored.map((doc) => [doc.id, doc] as const));
      const writes: Write[] = [];
      for (const [customerId, events] of byCustomer) {
        const before = docs.get(customerId) ?? null;
        const after = foldIdentityIndex(customerId, before, events, blind);
        if (after === 'erased') {
          const position = events[events.length - 1]?.position ?? 0;
          writes.push({ kind: 'delete', collection: IDENTITY_INDEX_COLLECTION, id: customerId, position });
        } else if (after !== null && after !== before) {
          writes.push({ kind: 'put', collection: IDENTITY_INDEX_COLLECTION, document: after });
        }
      }
      return writes;
    },
  };
}
