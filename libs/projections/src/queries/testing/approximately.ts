/** The fixture's tolerance for floats (test/fixtures/README.md). */
export const FLOAT_TOLERANCE = 1e-9;

export type Mismatch = { readonly path: string; readonly actual: unknown; readonly expected: unknown };

export type CompareOptions = {
  /** Maps (and maps nested in them) that omit zero counts on one side (fixture C18): missing equals 0. */
  readonly zeroIsMissing?: readonly string[];
};

/**
 * Every difference between two JSON values, by path: objects by value
 * regardless of key order, numbers within FLOAT_TOLERANCE, the rest exactly.
 * Listing them all, rather than failing on the first, makes a fixture
 * mismatch readable in one run.
 */
export function mismatches(
  actual: unknown,
  expected: unknown,
  options: CompareOptions = {},
  path = '$',
): Mismatch[] {
  if (typeof actual === 'number' && typeof expected === 'number') {
    return Math.abs(actual - expected) <= FLOAT_TOLERANCE ? [] : [{ path, actual, expected }];
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) return [{ path, actual, expected }];
    return actual.flatMap((item, index) => mismatches(item, expected[index], options, `${path}[${index}]`));
  }
  if (isRecord(actual) && isRecord(expected)) {
    const zeroIsMissing = pathKeys(path).some((key) => options.zeroIsMissing?.includes(key) ?? false);
    const [a, e] = zeroIsMissing ? [withoutZeros(actual), withoutZeros(expected)] : [actual, expected];
    const keys = [...new Set([...Object.keys(a), ...Object.keys(e)])].sort();
    return keys.flatMap((key) =>
      key in a && key in e
        ? mismatches(a[key], e[key], options, `${path}.${key}`)
        : [{ path: `${path}.${key}`, actual: a[key], expected: e[key] }],
    );
  }
  return Object.is(actual, expected) ? [] : [{ path, actual, expected }];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pathKeys(path: string): string[] {
  return path.split('.').slice(1);
}

function withoutZeros(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== 0));
}
