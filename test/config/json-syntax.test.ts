import { jsonSyntaxErrorOffset } from '../../lib/config/json-syntax';

/** The hand-written JSON grammar check agrees with JSON.parse on what is JSON, and names the offset of the first bad character. */
describe('jsonSyntaxErrorOffset', () => {
  test.each([
    '{}',
    '[]',
    '{"a": [1, -2.5e3, 0, true, false, null, "x\\"y\\\\z\\u00e9\\n"]}',
    '\ufeff{"bom": 1}',
    ' \n{ "nested": { "deep": [[], {}] } } \n',
    '"just a string"',
  ])('accepts %j like JSON.parse', (text) => {
    expect(() => JSON.parse(text.replace(/^\ufeff/, ''))).not.toThrow();
    expect(jsonSyntaxErrorOffset(text)).toBeUndefined();
  });

  test.each([
    ['{"a": 1,}', 8],
    ["{'a': 1}", 1],
    ['{"a": 01}', 7],
    ['{"a": tru}', 6],
    ['{"a": "unterminated}', 20],
    ['{"a": 1} extra', 9],
    ['{"a" 1}', 5],
    ['[1 2]', 3],
    ['{"a": "\\x"}', 8],
    ['', 0],
  ])('refuses %j at offset %d, as JSON.parse refuses it', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonSyntaxErrorOffset(text)).toBe(offset);
  });
});
