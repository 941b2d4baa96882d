import { isGeneratedIdentifier, placeholderLiteral, qualified, quoteIdent, quoteLiteral } from '../../lib/warehouse/sql';
import { lex } from './sql-lexer';

describe('quoting', () => {
  test('identifiers are double-quoted with embedded quotes doubled', () => {
    expect(quoteIdent('RIVERSIDE_PROD')).toBe('"RIVERSIDE_PROD"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(qualified('DB', 'S', 'x"; DROP')).toBe('"DB"."S"."x""; DROP"');
    expect(() => quoteIdent('')).toThrow(/must not be empty/);
  });

  test('literals escape quotes, backslashes, control characters and template openers', () => {
    expect(quoteLiteral("it's")).toBe("'it\\x27s'");
    expect(quoteLiteral('a\\b')).toBe("'a\\x5cb'");
    expect(quoteLiteral('line\nbreak')).toBe("'line\\x0abreak'");
    expect(quoteLiteral('<% x %> &{ y } $$')).toBe("'\\x3c\\x25 x \\x25> \\x26\\x7b y } \\x24\\x24'");
    expect(quoteLiteral('Riverside ISD (north)')).toBe("'Riverside ISD (north)'");
  });

  test.each([
    "'); DROP TABLE t; --",
    "\\'; DROP TABLE t; --",
    "x\\",
    "'''",
    'Ünïcødé district — 学区',
    "\u0000\u001f\u007f",
  ])('a literal is one string token that decodes to the original: %j', (value) => {
    const statements = lex(`SELECT ${quoteLiteral(value)};`);
    expect(statements).toHaveLength(1);
    expect(statements[0].tokens).toEqual([
      { kind: 'word', value: 'SELECT' },
      { kind: 'string', value },
    ]);
  });

  test('an identifier is one identifier token that decodes to the original', () => {
    const statements = lex(`SELECT 1 FROM ${quoteIdent('a"; DROP TABLE t; --')};`);
    expect(statements[0].tokens[statements[0].tokens.length - 1]).toEqual({ kind: 'ident', value: 'a"; DROP TABLE t; --' });
  });

  test('placeholders are template variables with checked names', () => {
    expect(placeholderLiteral('loader_rsa_public_key')).toBe("'<% loader_rsa_public_key %>'");
    expect(() => placeholderLiteral('x %> evil <%')).toThrow(/not a valid placeholder/);
  });

  test('generated identifiers are upper-case words without $', () => {
    expect(isGeneratedIdentifier('RIVERSIDE_PROD_LOADER')).toBe(true);
    expect(isGeneratedIdentifier('riverside')).toBe(false);
    expect(isGeneratedIdentifier('A$$B')).toBe(false);
    expect(isGeneratedIdentifier('A-B')).toBe(false);
  });
});

