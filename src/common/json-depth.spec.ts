import { assertJsonDepth, JsonTooDeepError } from './json-depth';

describe('assertJsonDepth', () => {
  const check = (text: string, max?: number) => () => assertJsonDepth(Buffer.from(text), max);

  it('accepts up to the limit and refuses one level more', () => {
    expect(check('[[[]]]', 3)).not.toThrow();
    expect(check('[[[[]]]]', 3)).toThrow(JsonTooDeepError);
    expect(check('{"a":{"b":[{}]}}', 4)).not.toThrow();
    expect(check('{"a":{"b":[{"c":[]}]}}', 4)).toThrow(/more than 4 levels/);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(check(JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[[' }), 1)).not.toThrow();
    expect(check('["\\\\", [[]]]', 2)).toThrow(JsonTooDeepError);
  });

  it('counts siblings as one level', () => {
    expect(check('[' + '[],'.repeat(1000) + '[]]', 2)).not.toThrow();
  });
});
