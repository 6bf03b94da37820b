import { MalformedJsonError, parseJsonBody } from './json-body';

describe('parseJsonBody', () => {
  it('parses a JSON document from a string or a Buffer', () => {
    expect(parseJsonBody('{"a":[1,true,null]}')).toEqual({ a: [1, true, null] });
    expect(parseJsonBody(Buffer.from('{"a":"é"}', 'utf8'))).toEqual({ a: 'é' });
  });

  it('drops __proto__ keys at every depth so a body cannot reach a prototype', () => {
    const parsed = parseJsonBody(
      '{"__proto__":{"polluted":true},"nested":{"__proto__":{"x":1},"keep":2}}',
    ) as Record<string, unknown>;

    expect(Object.keys(parsed)).toEqual(['nested']);
    expect(parsed.nested).toEqual({ keep: 2 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
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
});
