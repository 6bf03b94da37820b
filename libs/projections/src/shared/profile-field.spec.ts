import { fieldPresent, fieldValue, keepTrimmed, stateProfileField } from './profile-field';

const JAN = { occurredAt: '2024-01-01T00:00:00.000Z', position: 1 };
const FEB = { occurredAt: '2024-02-01T00:00:00.000Z', position: 2 };

describe('stateProfileField', () => {
  it('keeps a trimmed, normalised statement', () => {
    const fact = stateProfileField(null, '  A@B.C ', JAN, (trimmed) => trimmed.toLowerCase());
    expect(fact).toEqual({ ...JAN, present: true, value: 'a@b.c' });
  });

  it('leaves the fact alone when the key is absent', () => {
    const fact = stateProfileField(null, 'smb', JAN, keepTrimmed);
    expect(stateProfileField(fact, undefined, FEB, keepTrimmed)).toBe(fact);
  });

  it('lets a blank statement clear the field', () => {
    const fact = stateProfileField(stateProfileField(null, 'smb', JAN, keepTrimmed), ' ', FEB, keepTrimmed);
    expect([fieldPresent(fact), fieldValue(fact)]).toEqual([false, null]);
  });

  it('ignores a statement older than the one it holds', () => {
    const newer = stateProfileField(null, 'enterprise', FEB, keepTrimmed);
    expect(stateProfileField(newer, 'smb', JAN, keepTrimmed)).toBe(newer);
  });

  it('reads an unstated field as absent', () => {
    expect([fieldPresent(null), fieldValue(null)]).toEqual([false, null]);
  });
});
