import { compareRefs, insertByRef, isEarlierRef, isLaterRef, mergeByRef, sortedByRef } from './event-ref';

const ref = (occurredAt: string, position: number) => ({ occurredAt, position });

describe('event refs', () => {
  it('order by occurredAt first, whatever the log position', () => {
    expect(compareRefs(ref('2024-01-01T00:00:00.000Z', 9), ref('2024-01-02T00:00:00.000Z', 1))).toBeLessThan(
      0,
    );
  });

  it('break an occurredAt tie by log position', () => {
    const same = '2024-01-01T00:00:00.000Z';
    expect(isLaterRef(ref(same, 5), ref(same, 4))).toBe(true);
    expect(isEarlierRef(ref(same, 5), ref(same, 4))).toBe(false);
  });

  it('compare instants by time, not by their spelling', () => {
    expect(compareRefs(ref('2024-01-01T10:00:00+02:00', 1), ref('2024-01-01T09:00:00Z', 2))).toBeLessThan(0);
  });

  it('treat anything as later or earlier than nothing', () => {
    expect(isLaterRef(ref('2024-01-01T00:00:00.000Z', 1), null)).toBe(true);
    expect(isEarlierRef(ref('2024-01-01T00:00:00.000Z', 1), null)).toBe(true);
  });

  it('sort a copy into history order', () => {
    const items = [ref('2024-02-01T00:00:00.000Z', 1), ref('2024-01-01T00:00:00.000Z', 2)];
    expect(sortedByRef(items).map((item) => item.position)).toEqual([2, 1]);
    expect(items.map((item) => item.position)).toEqual([1, 2]);
  });

  it('insert into a list in history order where a stable sort would put it', () => {
    const same = '2024-01-01T00:00:00.000Z';
    const items = [ref(same, 1), ref(same, 3), ref('2024-03-01T00:00:00.000Z', 2)];
    const late = ref('2024-02-01T00:00:00.000Z', 9);
    const tie = ref(same, 3);
    for (const item of [late, tie]) {
      const expected = sortedByRef([...items, item]);
      insertByRef(items, item);
      expect(items).toEqual(expected);
    }
    expect(items[2]).toBe(tie);
  });

  it('merge two lists in history order as sorting them together would, the first list first on a tie', () => {
    const same = '2024-01-01T00:00:00.000Z';
    const a = [ref(same, 1), ref(same, 4), ref('2024-02-01T00:00:00.000Z', 2)];
    const b = [ref(same, 4), ref('2024-01-15T00:00:00.000Z', 9), ref('2024-03-01T00:00:00.000Z', 3)];
    const merged = mergeByRef(a, b);
    expect(merged).toEqual(sortedByRef([...a, ...b]));
    expect(merged[1]).toBe(a[1]);
    expect(merged[2]).toBe(b[0]);
    expect(mergeByRef(a, [])).toEqual(a);
    expect(mergeByRef([], b)).toEqual(b);
  });
});
