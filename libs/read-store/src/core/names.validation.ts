import { COLLECTION_NAME, FIELD_NAME, PROJECTION_NAME } from '../read-store.port';
import { InvalidNameError, type NameKind } from '../read-store.errors';

const PATTERNS: Readonly<Record<NameKind, RegExp>> = {
  collection: COLLECTION_NAME,
  field: FIELD_NAME,
  projection: PROJECTION_NAME,
};

/** Checked at run time: names reach SQL text, and JavaScript callers bypass the types. */
export function assertName(kind: NameKind, name: unknown): string {
  if (typeof name !== 'string' || !PATTERNS[kind].test(name)) throw new InvalidNameError(kind, name);
  return name;
}
