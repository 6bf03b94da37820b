import { MalformedJsonError, MAX_JSON_DEPTH, parseJsonBody, UnacceptableJsonError } from './json-body';

function rejection(text: string | Buffer): UnacceptableJsonError {
  try {
    parseJsonBody(text);
  } catch (error) {
    if (error instanceof UnacceptableJsonError) return error;
    throw error;
  }
  throw new Error('expected an UnacceptableJsonError');
}

const fieldsAndCodes = (error: UnacceptableJsonError): string[][] =>
  error.details.map((detail) => [detail.field, detail.code]);

describe('parseJsonBody', () => {
  it('parses a JSON document from a string or a Buffer', () => {
    expect(parseJsonBody('{"a":[1,true,null]}')).toEqual({ a: [1, true, null] });
    expect(parseJsonBody(Buffer.from('{"a":"é"}', 'utf8'))).toEqual({ a: 'é' });
  });

  it.each(['', '   ', '\n'])('rejects an empty body %p as malformed', (text) => {
    expect(() => parseJsonBody(text)).toThrow(new MalformedJsonError('the body is empty'));
  });

  it.each(['{"a":', "{'a':1}", '{"a":1} x', 'undefined'])('rejects %p as malformed JSON', (text) => {
    expect(() => parseJsonBody(text)).toThrow(MalformedJsonError);
  });

  it('says why the body is not JSON', () => {
    expect(() => parseJsonBody('{"a":')).toThrow(/^The body is not valid JSON: /);
  });

  it('rejects bytes that are not UTF-8 as such, rather than replacing them', () => {
    const body = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);

    expect(() => parseJsonBody(body)).toThrow(new MalformedJsonError('the body is not valid UTF-8'));
  });

  it.each(['__proto__', 'constructor', 'prototype'])('rejects a %s key at any depth, naming it', (key) => {
    const error = rejection(`{"nested":{"${key}":{"polluted":true}}}`);

    expect(fieldsAndCodes(error)).toEqual([[`nested.${key}`, 'reservedKey']]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects a number JSON can only hold as Infinity, naming the field', () => {
    expect(fieldsAndCodes(rejection('{"attributes":{"n":1e309},"m":[-1e400]}'))).toEqual([
      ['attributes.n', 'notFinite'],
      ['m[0]', 'notFinite'],
    ]);
  });

  it('rejects an integer beyond the safe range, which would be stored rounded', () => {
    expect(fieldsAndCodes(rejection('{"amount":9007199254740993}'))).toEqual([['amount', 'unsafeInteger']]);
  });

  it('keeps the largest safe integer and fractions as sent', () => {
    expect(parseJsonBody('{"a":9007199254740991,"b":-9007199254740991,"c":0.1}')).toEqual({
      a: Number.MAX_SAFE_INTEGER,
      b: -Number.MAX_SAFE_INTEGER,
      c: 0.1,
    });
  });

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses one more, naming where`, () => {
    const nest = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

    expect(parseJsonBody(nest(MAX_JSON_DEPTH))).toBeDefined();
    const error = rejection(nest(MAX_JSON_DEPTH + 1));
    expect(fieldsAndCodes(error)).toEqual([[Array(MAX_JSON_DEPTH).fill('a').join('.'), 'maxDepth']]);
  });

  it('refuses thousands of levels without overflowing the stack', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);

    expect(rejection(deep).details[0]?.code).toBe('maxDepth');
  });
});
