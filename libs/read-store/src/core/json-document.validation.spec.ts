import { InvalidWriteError } from '../read-store.errors';
import { assertJsonDocument } from './json-document.validation';

function messageOf(document: unknown): string {
  try {
    assertJsonDocument(document, 'write 0');
  } catch (error) {
    if (error instanceof InvalidWriteError) return error.message.replace('Invalid write: ', '');
    throw error;
  }
  return 'accepted';
}

describe('assertJsonDocument', () => {
  it('accepts plain JSON, dropping undefined properties', () => {
    expect(messageOf({ id: 'a', n: 1, list: [{ s: 'x', b: true, z: null }], gone: undefined })).toBe(
      'accepted',
    );
  });

  it.each([
    [{ a: { b: [{ c: Number.NaN }] } }, 'write 0: a.b[0].c is not a finite number'],
    [{ list: [1, undefined] }, 'write 0: list[1] is undefined'],
    [{ nested: { $set: 1 } }, 'write 0: nested.$set: keys must not start with $'],
    [
      { at: new Date(0) },
      'write 0: at is an instance of a class, not plain JSON (store dates as ISO-8601 strings)',
    ],
    [{ amount: 10n }, 'write 0: amount is a bigint, not JSON'],
    [{ matrix: [[1], [2, Infinity]] }, 'write 0: matrix[1][1] is not a finite number'],
  ])('names the path of the first problem (%#)', (document, message) => {
    expect(messageOf(document)).toBe(message);
  });

  it('refuses a cycle, naming where it closes', () => {
    const node: Record<string, unknown> = { id: 'n' };
    node['self'] = { back: node };
    expect(messageOf({ graph: node })).toBe('write 0: graph.self.back refers to itself');
  });

  it('accepts the same object twice side by side: shared is not cyclic', () => {
    const shared = { n: 1 };
    expect(messageOf({ a: shared, b: [shared, shared] })).toBe('accepted');
  });
});
