import { RequestValidationError } from './api-error';
import { integerParam, singleParam } from './query-params';

function refusal(parse: () => unknown): unknown {
  try {
    parse();
  } catch (error) {
    if (error instanceof RequestValidationError) return error.details;
    throw error;
  }
  throw new Error('not refused');
}

describe('basic query parameters', () => {
  it('takes a parameter given once, and refuses one given twice', () => {
    expect(singleParam('cursor', 'x')).toBe('x');
    expect(singleParam('cursor', '')).toBeUndefined();
    expect(refusal(() => singleParam('cursor', ['a', 'b']))).toEqual([
      { field: 'cursor', code: 'single', message: 'cursor may be given once' },
    ]);
  });

  it('reads every safe integer up to its bound, and nothing past the safe integers', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(integerParam('fromRevision', String(max), 0, 0, max)).toBe(max);
    const refused = [
      { field: 'fromRevision', code: 'isInt', message: `fromRevision is an integer from 0 to ${max}` },
    ];
    expect(refusal(() => integerParam('fromRevision', '9007199254740993', 0, 0, max))).toEqual(refused);
    for (const raw of ['-1', '1.5', '1e3', ' 1', '0x10']) {
      expect(refusal(() => integerParam('fromRevision', raw, 0, 0, max))).toEqual(refused);
    }
  });
});
