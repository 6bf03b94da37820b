/**
 * A document's `id` is stored twice: as `_id`, which MongoDB indexes and keeps
 * unique, and as `id`, so the stored document is exactly the one put. Filters
 * and sorts on `id` use `_id`, the field the primary index holds.
 */
export function mongoField(field: string): string {
  return field === 'id' ? '_id' : field;
}
