import { printParseErrorCode, type ParseError } from 'jsonc-parser';
import { positionAt, type ConfigError } from './configError';

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

/** jsonc-parser's syntax errors as ConfigErrors with plain-English messages, at most one per line. */
export function syntaxErrors(text: string, parseErrors: readonly ParseError[]): ConfigError[] {
  const errors: ConfigError[] = [];
  let reportedUpTo = -1;
  let reportedLine = 0;
  for (const { error, offset, length } of parseErrors) {
    // After one mistake the parser complains again where it resumes ("epochs: 2" gives an invalid symbol,
    // then "expected a value"). Such echoes follow on the same line or right after the error, and only add noise.
    const line = positionAt(text, offset).line;
    if (offset <= reportedUpTo || line === reportedLine) continue;
    const message = messageFor(printParseErrorCode(error), text.slice(offset, offset + length));
    errors.push({ path: '', message: `syntax error: ${message}`, range: { offset, length } });
    reportedLine = line;
    reportedUpTo = offset + length;
    while (reportedUpTo < text.length && /\s/.test(text[reportedUpTo])) reportedUpTo++;
  }
  return errors;
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
