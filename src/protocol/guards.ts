/**
 * Runtime guards for what crosses a boundary (host <-> page, host <-> worker): small combinators, so each
 * message's guard reads like its type. Nothing that arrives is used before its guard said yes.
 */

/** Says whether a value received from the other side has the shape `T`. */
export type Guard<T> = (value: unknown) => value is T;

/** The type a guard checks for. */
export type Guarded<G> = G extends Guard<infer T> ? T : never;

/** Any value at all: for payloads another guard checks later, where it can say what is wrong (run records). */
export const isUnknown = (value: unknown): value is unknown => (void value, true);

export const isString = (value: unknown): value is string => typeof value === 'string';

/** Any number, NaN and Infinity included (a diverging loss is a number too). */
export const isNumber = (value: unknown): value is number => typeof value === 'number';

export const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

/** A plain object (not null, not an array). */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An empty payload `{}` (extra fields are ignored). */
export const isEmpty = (value: unknown): value is Record<string, never> => isRecord(value);

/** One of the listed strings. */
export function oneOf<const T extends string>(values: readonly T[]): Guard<T> {
  return (value): value is T => (values as readonly unknown[]).includes(value);
}

/** `guard`, or absent. */
export function optional<T>(guard: Guard<T>): Guard<T | undefined> {
  return (value): value is T | undefined => value === undefined || guard(value);
}

/** An array whose every element passes `guard`. */
export function arrayOf<T>(guard: Guard<T>): Guard<T[]> {
  return (value): value is T[] => Array.isArray(value) && value.every((v) => guard(v));
}

/** An object with these fields (each checked by its guard; fields not named are ignored). */
export function object<S extends Record<string, Guard<unknown>>>(shape: S): Guard<{ [K in keyof S]: Guarded<S[K]> }> {
  const entries = Object.entries(shape);
  return (value): value is { [K in keyof S]: Guarded<S[K]> } =>
    isRecord(value) && entries.every(([key, guard]) => guard(value[key]));
}

/** Both guards. */
export function both<A, B>(a: Guard<A>, b: Guard<B>): Guard<A & B> {
  return (value): value is A & B => a(value) && b(value);
}
