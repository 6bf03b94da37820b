import { DocExamplesError, mismatches, parseDocExamples } from './doc-blocks';

const doc = (...lines: string[]): string => lines.join('\n');

describe('parseDocExamples', () => {
  it('finds sh, bash and shell blocks with their opening line, and ignores other languages', () => {
    const { blocks } = parseDocExamples(
      doc(
        '# T',
        '',
        '```sh',
        'echo a',
        '```',
        '```json',
        '{}',
        '```',
        '```bash',
        'echo b',
        '```',
        '```shell',
        'echo c',
        '```',
      ),
    );

    expect(blocks.map((block) => [block.line, block.source])).toEqual([
      [3, 'echo a'],
      [9, 'echo b'],
      [12, 'echo c'],
    ]);
  });

  it('reads a skip marker on the last non-blank line above the fence, with its reason', () => {
    const { blocks } = parseDocExamples(
      doc(
        '<!-- doc-test: skip (needs Docker) -->',
        '',
        '```sh',
        'docker ps',
        '```',
        '```sh',
        'echo run',
        '```',
      ),
    );

    expect(blocks.map((block) => block.skip)).toEqual(['needs Docker', null]);
  });

  it('refuses a doc-test marker it cannot read rather than running the block', () => {
    expect(() =>
      parseDocExamples(doc('<!-- doc-test: skp (typo) -->', '```sh', 'echo', '```'), 'x.md'),
    ).toThrow(DocExamplesError);
  });

  it('collects the documents named as given', () => {
    expect(parseDocExamples(doc('<!-- doc-test: given README.md -->', '```sh', 'echo', '```')).given).toEqual(
      ['README.md'],
    );
  });

  it('turns each stated result into an expectation with its line, its JSON over continuation lines', () => {
    const { blocks } = parseDocExamples(
      doc(
        '```sh',
        'curl -s a',
        '# → 201 {"code":"X",',
        '#    "details":[]}',
        'curl -s b   # a comment, not a result',
        '# → 200 the projection, in prose',
        '```',
      ),
    );
    const [block] = blocks;

    expect(block?.expectations).toEqual([
      { line: 3, status: 201, body: { code: 'X', details: [] } },
      { line: 6, status: 200 },
    ]);
    expect(block?.script).toBe(
      doc('curl -s a', '__doc_expect 0', 'curl -s b   # a comment, not a result', '__doc_expect 1'),
    );
  });

  it('refuses a stated body that is not JSON', () => {
    expect(() => parseDocExamples(doc('```sh', 'curl a', '# → 200 {"items": [ … ]}', '```'), 'x.md')).toThrow(
      'x.md:3: the stated body is not JSON',
    );
  });
});

describe('mismatches', () => {
  it('accepts a body holding every stated field, whatever else it holds', () => {
    expect(mismatches({ a: 1, b: { c: 'x' } }, { a: 1, b: { c: 'x', d: 2 }, e: 3 })).toEqual([]);
  });

  it('names each differing, missing or mistyped field', () => {
    expect(mismatches({ a: 1, b: { c: 'x' }, d: null }, { a: 2, b: 'x' })).toEqual([
      'body.a: 2, stated 1',
      'body.b: "x" is not an object',
      'body.d: missing',
    ]);
  });

  it('compares arrays element by element and by length', () => {
    expect(mismatches([{ id: 'a' }], [{ id: 'a', n: 1 }])).toEqual([]);
    expect(mismatches([{ id: 'a' }], [{ id: 'a' }, { id: 'b' }])).toEqual(['body: 2 items, 1 stated']);
    expect(mismatches([{ id: 'a' }], [{ id: 'b' }])).toEqual(['body[0].id: "b", stated "a"']);
  });

  it('reads "…" as any value and "abc…" as a string starting abc', () => {
    expect(mismatches({ id: '…', e: '6f1c…' }, { id: 42, e: '6f1c1a4e' })).toEqual([]);
    expect(mismatches({ id: '…' }, {})).toEqual(['body.id: missing']);
    expect(mismatches({ e: '6f1c…' }, { e: '7a' })).toEqual(['body.e: "7a" does not start with "6f1c"']);
  });
});
