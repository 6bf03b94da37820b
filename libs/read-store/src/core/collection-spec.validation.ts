import type { CollectionSpec, IndexSpec } from '../read-store.port';
import { InvalidQueryError } from '../read-store.errors';
import { assertName } from './names.validation';

/** An index as the adapters build it: on (field, id, ...carries). */
export type CheckedIndex = { readonly field: string; readonly carries: readonly string[] };

export type CheckedSpec = {
  readonly name: string;
  readonly kind: 'documents' | 'counters';
  /** One per field, `id` left out (it is the primary key). */
  readonly indexes: readonly CheckedIndex[];
};

/**
 * A declaration checked before anything is created: every name against its
 * pattern (names reach SQL text and index keys), each field indexed once.
 * Carried fields lose duplicates, `id` (already in the index) and the
 * field itself.
 */
export function checkCollectionSpec(spec: CollectionSpec): CheckedSpec {
  const name = assertName('collection', spec.name);
  const byField = new Map<string, CheckedIndex>();
  for (const declared of spec.indexes) {
    const index = checkIndex(declared);
    const before = byField.get(index.field);
    if (before && before.carries.join() !== index.carries.join()) {
      throw new InvalidQueryError(`the field ${index.field} is indexed twice, carrying different fields`);
    }
    byField.set(index.field, index);
  }
  return {
    name,
    kind: spec.kind === 'counters' ? 'counters' : 'documents',
    indexes: [...byField.values()].filter((index) => index.field !== 'id'),
  };
}

function checkIndex(declared: IndexSpec): CheckedIndex {
  if (typeof declared === 'string') return { field: assertName('field', declared), carries: [] };
  const field = assertName('field', declared?.field);
  if (!Array.isArray(declared.carries))
    throw new InvalidQueryError(`the carried fields of ${field} are not a list`);
  const carries = declared.carries.map((carried) => assertName('field', carried));
  return { field, carries: [...new Set(carries)].filter((carried) => carried !== 'id' && carried !== field) };
}
