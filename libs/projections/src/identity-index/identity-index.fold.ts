import { type CrmEvent, emailKey, ERASED_VALUE, phoneKey } from '@crm/domain';
import type { ProjectedEvent } from '../shared/projected-event';
import { type BlindIndex, namePrefixes, nameSearchKey } from './blind-index';
import { type IdentityIndexDocument, NAME_PREFIX_FIELDS } from './identity-index.document';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * What a customer's events (log order) do to their index document: the new
 * document, `doc` itself when nothing indexed changed, or `erased` once
 * `CustomerErased` is among them (the document is then deleted, and a
 * rebuild ends the same way: the shredded values read `[erased]`, which
 * index nothing, and the erasure deletes the document).
 */
export function foldIdentityIndex(
  customerId: string,
  doc: IdentityIndexDocument | null,
  events: readonly ProjectedEvent[],
  blind: BlindIndex,
): IdentityIndexDocument | null | 'erased' {
  let next: Mutable<IdentityIndexDocument> | null = null;
  let current = doc;
  for (const { event, position } of events) {
    if (current !== null && position <= current.position) continue;
    if (event.type === 'CustomerErased') return 'erased';
    const data = indexedFields(event);
    if (data === null) continue;
    if (event.type === 'CustomerRegistered' && current !== null) continue;
    next ??= current === null ? emptyDocument(customerId) : { ...current };
    next.position = position;
    applyFields(next, data, event.occurredAt, blind);
    current = next;
  }
  return next ?? doc;
}

type IndexedFields = { readonly name?: unknown; readonly email?: unknown; readonly phone?: unknown };

function indexedFields(event: CrmEvent): IndexedFields | null {
  if (event.type === 'CustomerRegistered' || event.type === 'CustomerProfileUpdated') return event.data;
  return null;
}

function emptyDocument(customerId: string): Mutable<IdentityIndexDocument> {
  return {
    id: customerId,
    position: 0,
    customerId,
    email: null,
    emailAt: null,
    phone: null,
    phoneAt: null,
    nameAt: null,
    name1: null,
    name2: null,
    name3: null,
    name4: null,
    name5: null,
    name6: null,
  };
}

/** Later `occurredAt` wins, ties going to the later event; ISO instants of one format compare as strings. */
function newer(statedAt: string | null, occurredAt: string): boolean {
  return statedAt === null || statedAt <= occurredAt;
}

function applyFields(
  doc: Mutable<IdentityIndexDocument>,
  data: IndexedFields,
  occurredAt: string,
  blind: BlindIndex,
): void {
  if (data.email !== undefined && newer(doc.emailAt, occurredAt)) {
    const key = usable(data.email) ? emailKey(data.email) : null;
    doc.email = key === null ? null : blind.entry('email', key);
    doc.emailAt = occurredAt;
  }
  if (data.phone !== undefined && newer(doc.phoneAt, occurredAt)) {
    const key = usable(data.phone) ? phoneKey(data.phone) : null;
    doc.phone = key === null ? null : blind.entry('phone', key);
    doc.phoneAt = occurredAt;
  }
  if (data.name !== undefined && newer(doc.nameAt, occurredAt)) {
    const key = usable(data.name) ? nameSearchKey(data.name) : null;
    const prefixes = key === null ? [] : namePrefixes(key);
    NAME_PREFIX_FIELDS.forEach((field, index) => {
      const prefix = prefixes[index];
      doc[field] = prefix === undefined ? null : blind.entry('name', prefix);
    });
    doc.nameAt = occurredAt;
  }
}

/** A value that can be indexed: a string, not the placeholder of a shredded one. */
function usable(value: unknown): value is string {
  return typeof value === 'string' && value !== ERASED_VALUE;
}
