import type { Node as JsonNode } from 'jsonc-parser';
import type { ConfigError, SourceRange } from './configError';
import { childPath } from './configPath';
import { closestMatch } from './didYouMean';
import type { NumberRule } from './numberRules';

/** The hint after an error about a near miss of a known name: ` (did you mean "relu"?)`. */
export function didYouMean(suggestion: string): string {
  return ` (did you mean "${suggestion}"?)`;
}

/** The hint after an error about a number or boolean written in quotes. */
export const REMOVE_QUOTES = ' (remove the quotes)';

/**
 * The text that fixes `error` when it replaces the error's range of `text`, for a quick fix: the suggestion of a
 * "did you mean" (its range is the misspelled key or value, quotes included), or the value without its quotes.
 */
export function errorReplacement(error: ConfigError, text: string): string | undefined {
  const written = text.slice(error.range.offset, error.range.offset + error.range.length);
  if (!written.startsWith('"') || !written.endsWith('"') || written.length < 2) return undefined;
  const suggestion = / \(did you mean "([^"]+)"\?\)$/.exec(error.message)?.[1];
  if (suggestion !== undefined) return JSON.stringify(suggestion);
  if (error.message.endsWith(REMOVE_QUOTES)) return written.slice(1, -1).trim();
  return undefined;
}

/** Reads one value: returns it when valid, or reports why not and returns undefined. */
export type ValueReader<T> = (node: JsonNode, path: string) => T | undefined;

/** The properties of one JSON object by key, after unknown and duplicate keys were reported. */
export class Fields {
  constructor(
    readonly node: JsonNode,
    readonly path: string,
    /** Property nodes by key; the first of duplicated keys wins. */
    private readonly properties: ReadonlyMap<string, JsonNode>,
  ) {}

  /** Whether `key` is written, even with its value missing (a syntax error reported on its own). */
  has(key: string): boolean {
    return this.properties.has(key);
  }

  /** The value node of `key`, if written. */
  value(key: string): JsonNode | undefined {
    return this.properties.get(key)?.children?.[1];
  }

  /** The node of the key itself ("units" with its quotes), for errors about the key rather than its value. */
  keyNode(key: string): JsonNode | undefined {
    return this.properties.get(key)?.children?.[0];
  }

  /** The path of `key` in messages, e.g. "layers[0].units". */
  pathOf(key: string): string {
    return childPath(this.path, key);
  }
}

/** Collects every error of a config while its parts are read, so all of them can be shown at once. */
export class ConfigChecker {
  readonly errors: ConfigError[] = [];

  constructor(private readonly text: string) {}

  /** Records an error at `at` (a node or a range). */
  report(path: string, at: SourceRange, message: string): void {
    this.errors.push({ path, message, range: { offset: at.offset, length: at.length } });
  }

  /** The value as the student wrote it, for "got ...": objects and arrays by kind, long text cut short. */
  got(node: JsonNode): string {
    if (node.type === 'object') return 'an object';
    if (node.type === 'array') return node.children?.length ? 'an array' : 'an empty array []';
    const source = this.text.slice(node.offset, node.offset + node.length);
    return source.length > 40 ? `${source.slice(0, 37)}...` : source;
  }

  /** Reports that `node` has the wrong kind of value; `expected` is a noun phrase such as "a string". */
  wrongValue(node: JsonNode, path: string, expected: string, hint = ''): undefined {
    this.report(path, node, `${path} must be ${expected}, got ${this.got(node)}${hint}`);
    return undefined;
  }

  /**
   * The fields of object `node`, reporting keys written twice and keys not in `allowed`, with `whereItGoes`'s advice
   * for keys that belong in another object, else a "did you mean" or the allowed keys.
   */
  object(
    node: JsonNode,
    path: string,
    allowed: readonly string[],
    whereItGoes?: (key: string, value: string) => string | undefined,
  ): Fields {
    const properties = new Map<string, JsonNode>();
    for (const property of node.children ?? []) {
      const keyNode = property.children?.[0];
      if (keyNode === undefined) continue;
      const key = String(keyNode.value);
      const keyPath = childPath(path, key);
      if (!allowed.includes(key)) {
        const valueNode = property.children?.[1];
        const advice = whereItGoes?.(key, valueNode ? this.got(valueNode) : '...');
        const suggestion = closestMatch(key, allowed);
        const fix =
          advice !== undefined
            ? ` here; ${advice}`
            : suggestion !== undefined
              ? didYouMean(suggestion)
              : `; allowed here: ${allowed.join(', ')}`;
        this.report(keyPath, keyNode, `${keyPath} is not a known property${fix}`);
      } else if (properties.has(key)) {
        this.report(keyPath, keyNode, `${keyPath} is written twice; keep only one`);
      } else {
        properties.set(key, property);
      }
    }
    return new Fields(node, path, properties);
  }

  /**
   * A choice written as its name ("adam") or as an object with a "type" and parameters
   * ({ "type": "adam", "learningRate": 0.02 }); `fields` comes back for the object form only.
   * `described` says what was expected, for any other kind of value.
   */
  namedOrTyped<T extends string>(
    node: JsonNode,
    path: string,
    choices: readonly T[],
    keys: readonly string[],
    described: string,
  ): { type: T | undefined; fields?: Fields } | undefined {
    if (node.type === 'string') return { type: this.oneOf(node, path, choices) };
    if (node.type !== 'object') return this.wrongValue(node, path, described);
    const fields = this.object(node, path, keys);
    const type = this.required(fields, 'type', `one of ${choices.join(', ')}`, (n, p) => this.oneOf(n, p, choices));
    return { type, fields };
  }

  /** Reads `key`, or reports it missing at the object's opening brace; `what` tells the student what to write. */
  required<T>(fields: Fields, key: string, what: string, read: ValueReader<T>): T | undefined {
    const path = fields.pathOf(key);
    if (!fields.has(key)) {
      this.report(path, { offset: fields.node.offset, length: 1 }, `${path} is required: ${what}`);
      return undefined;
    }
    const value = fields.value(key);
    return value && read(value, path);
  }

  /** Reads `key`, or gives `fallback` when it is not written. */
  optional<T>(fields: Fields, key: string, read: ValueReader<T>, fallback: T): T | undefined {
    if (!fields.has(key)) return fallback;
    const value = fields.value(key);
    return value && read(value, fields.pathOf(key));
  }

  /** Reports a known key that does not fit here, e.g. `alpha` on a relu layer; the key is what gets underlined. */
  misplaced(fields: Fields, key: string, why: string): void {
    const path = fields.pathOf(key);
    this.report(path, fields.keyNode(key) ?? fields.node, `${path} ${why}`);
  }

  /** A finite number satisfying `rule`. */
  number(node: JsonNode, path: string, rule: NumberRule): number | undefined {
    const value: unknown = node.value;
    // jsonc-parser gives null for numbers that overflow a double, such as 1e400.
    if (node.type !== 'number' || typeof value !== 'number' || !Number.isFinite(value)) {
      const looksNumeric = (text: string) => text.trim() !== '' && Number.isFinite(Number(text));
      return this.wrongValue(node, path, rule.what, this.quotedHint(node, looksNumeric));
    }
    const broken = rule.check(value);
    return broken === undefined ? value : this.wrongValue(node, path, broken);
  }

  /** true or false. */
  boolean(node: JsonNode, path: string): boolean | undefined {
    if (node.type === 'boolean') return node.value as boolean;
    const looksBoolean = (text: string) => text === 'true' || text === 'false';
    return this.wrongValue(node, path, 'true or false', this.quotedHint(node, looksBoolean));
  }

  /** Any string. */
  string(node: JsonNode, path: string): string | undefined {
    if (node.type === 'string') return node.value as string;
    return this.wrongValue(node, path, 'a string in double quotes');
  }

  /** A string with something besides spaces in it. */
  nonEmptyString(node: JsonNode, path: string): string | undefined {
    const value = this.string(node, path);
    if (value === undefined || value.trim() !== '') return value;
    return this.wrongValue(node, path, 'a non-empty string');
  }

  /** One of `options`, with a "did you mean" for near misses such as "Relu" or "he_normal"; `what` replaces "one of a, b". */
  oneOf<T extends string>(
    node: JsonNode,
    path: string,
    options: readonly T[],
    what = `one of ${options.join(', ')}`,
  ): T | undefined {
    const value: unknown = node.value;
    if (node.type === 'string' && options.includes(value as T)) return value as T;
    const suggestion = typeof value === 'string' ? closestMatch(value, options) : undefined;
    return this.wrongValue(node, path, what, suggestion !== undefined ? didYouMean(suggestion) : '');
  }

  /** " (remove the quotes)" when a string holds what was expected unquoted, such as "0.01" for a number. */
  private quotedHint(node: JsonNode, wouldFit: (text: string) => boolean): string {
    return node.type === 'string' && wouldFit(String(node.value)) ? REMOVE_QUOTES : '';
  }
}
