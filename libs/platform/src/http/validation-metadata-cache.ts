import type { MetadataStorage } from 'class-validator';

type Metadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;
type Grouped = ReturnType<MetadataStorage['groupByPropertyName']>;
/** A DTO class, as class-validator names its targets. */
type Target = Parameters<MetadataStorage['getTargetValidationMetadatas']>[0];

const memoized = new WeakSet<MetadataStorage>();

/**
 * class-validator works out a DTO's rules on every validateSync: it filters
 * the metadata of every decorated class in the process (instanceof checks
 * for inheritance included) and groups them by property, once per object
 * validated, nested ones too. They change only when a decorator runs, i.e.
 * when a class is defined. This keeps both results per class until a
 * decorator adds metadata again, for calls without validation groups (ours);
 * with groups it asks the library as before. The storage is the library's
 * process-wide one, so this is done once.
 */
export function memoizeValidationMetadata(storage: MetadataStorage): void {
  if (memoized.has(storage)) return;
  memoized.add(storage);
  const targets = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const addValidation = storage.addValidationMetadata.bind(storage);
  const addConstraint = storage.addConstraintMetadata.bind(storage);
  // Per class, then per option set: the class key lets a class defined later never collide with one cached.
  let byTarget = new Map<Target, Map<string, Metadata>>();
  let byList = new WeakMap<Metadata, Grouped>();
  const forget = (): void => {
    byTarget = new Map();
    byList = new WeakMap();
  };
  storage.addValidationMetadata = (metadata) => {
    forget();
    addValidation(metadata);
  };
  storage.addConstraintMetadata = (metadata) => {
    forget();
    addConstraint(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (groups !== undefined && groups.length > 0)
      return targets(target, schema, always, strictGroups, groups);
    let forClass = byTarget.get(target);
    if (forClass === undefined) byTarget.set(target, (forClass = new Map<string, Metadata>()));
    const options = `${schema}|${always}|${strictGroups}`;
    let found = forClass.get(options);
    if (found === undefined) {
      found = targets(target, schema, always, strictGroups, groups);
      forClass.set(options, found);
    }
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let grouped = byList.get(metadata);
    if (grouped === undefined) {
      grouped = group(metadata);
      byList.set(metadata, grouped);
    }
    return grouped;
  };
}
