import { createScanner, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { lineIndexOf, type ConfigError } from './configError';

type ParseErrorName = ReturnType<typeof printParseErrorCode>;

// printParseErrorCode's names are keyed here because jsonc-parser's ParseErrorCode is a const enum,
// which isolatedModules cannot read.
const MESSAGES: Record<Exclude<ParseErrorName, 'InvalidSymbol'>, string> = {
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':' after the property name",
  CommaExpected: "expected ',' between entries",
  CloseBraceExpected: "expected '}' to close the object",
  CloseBracketExpected: "expected ']' to close the array",
  EndOfFileExpected: "unexpected text after the config's closing '}'",
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'comment is not closed: add */',
  UnexpectedEndOfString: 'text is not closed: add the closing "',
  UnexpectedEndOfNumber: 'the number is incomplete',
  InvalidUnicode: 'invalid \\u escape in text',
  // Windows paths are the usual cause: "C:\data" has the escape \d.
  InvalidEscapeCharacter: 'invalid escape in text: write \\\\ for a backslash, or use / in paths',
  InvalidCharacter: 'text contains a control character: write it escaped, e.g. \\n',
  '<unknown ParseErrorCode>': 'invalid JSON',
};

/**
 * jsonc-parser's syntax errors as ConfigErrors with plain-English messages, at most one per line: the first `max` of
 * them (a garbage file has hundreds of thousands, and only the first are listed), and how many there are in all.
 */
export function syntaxErrors(
  text: string,
  parseErrors: readonly ParseError[],
  max = Infinity,
): { errors: ConfigError[]; count: number } {
  const errors: ConfigError[] = [];
  let count = 0;
  const lines = lineIndexOf(text);
  let reportedUpTo = -1;
  let reportedLine = 0;
  for (const { error, offset, length } of parseErrors) {
    // After one mistake the parser complains again where it resumes ("epochs: 2" gives an invalid symbol,
    // then "expected a value"). Such echoes follow on the same line or right after the error, and only add noise.
    if (offset <= reportedUpTo) continue;
    const line = lines.positionAt(offset).line;
    if (line === reportedLine) continue;
    if (count++ < max) {
      const message = messageFor(printParseErrorCode(error), text.slice(offset, offset + length));
      errors.push({ path: '', message: `syntax error: ${message}`, range: { offset, length } });
    }
    reportedLine = line;
    reportedUpTo = offset + length;
    while (reportedUpTo < text.length && /\s/.test(text[reportedUpTo])) reportedUpTo++;
  }
  return { errors, count };
}

/** The deepest nesting of objects and arrays read: a lab config needs 4 levels; jsonc-parser recurses once per level. */
export const MAX_NESTING = 64;

// jsonc-parser's SyntaxKind is a const enum, which isolatedModules cannot read: its values, from its API.
const OPEN_BRACE = 1;
const OPEN_BRACKET = 3;
const CLOSE_BRACE = 2;
const CLOSE_BRACKET = 4;
const EOF = 17;

/**
 * The error for the first `{` or `[` nested deeper than MAX_NESTING, found by scanning tokens (no recursion, brackets in
 * strings and comments do not count); undefined when the text nests no deeper. The parser and every walk of its tree
 * recurse once per level, so ~1800 levels overflowed the stack: only a text that passes this is parsed.
 */
export function nestingError(text: string): ConfigError | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== EOF; token = scanner.scan()) {
    if (token === OPEN_BRACE || token === OPEN_BRACKET) {
      if (++depth > MAX_NESTING) {
        const message = `syntax error: nesting deeper than ${MAX_NESTING} levels of { and [ here; a lab config needs 4 at most, so remove the extra brackets`;
        return { path: '', message, range: { offset: scanner.getTokenOffset(), length: 1 } };
      }
    } else if ((token === CLOSE_BRACE || token === CLOSE_BRACKET) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function messageFor(name: ParseErrorName, symbol: string): string {
  if (name === 'InvalidSymbol') return invalidSymbolMessage(symbol);
  // A comma is expected before a closer of the wrong kind: what is missing is the right closer.
  if (name === 'CommaExpected' && symbol === '}') return "this '}' does not close the open array: add ']' before it";
  if (name === 'CommaExpected' && symbol === ']') return "this ']' does not close the open object: add '}' before it";
  return MESSAGES[name];
}

/** Explains the usual non-JSON spellings: 'single quotes', unquoted words, Python's True and .5, NaN. */
function invalidSymbolMessage(symbol: string): string {
  if (symbol === 'NaN' || symbol === 'Infinity') return `${symbol} is not a JSON number; write a finite number`;
  if (/^[+-]?\.\d/.test(symbol)) return `unexpected ${symbol}; JSON numbers need a digit before the point, e.g. 0.5`;
  if (/^'.*'$/s.test(symbol)) return `${symbol} uses single quotes; JSON needs double quotes: "${symbol.slice(1, -1)}"`;
  const lower = symbol.toLowerCase();
  if (lower === 'true' || lower === 'false' || lower === 'null') {
    return `unexpected ${symbol}; JSON writes it in lower case: ${lower}`;
  }
  if (/^[A-Za-z_$][\w$]*$/.test(symbol)) return `unexpected ${symbol}; names and text need double quotes: "${symbol}"`;
  return `unexpected ${JSON.stringify(symbol)}`;
}
