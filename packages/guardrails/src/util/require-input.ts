import { CascadeError } from '@cascade/core';

/** A short, value-free description of what was passed (never the value itself: it may hold PII). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}

/**
 * Throws `INVALID_INPUT` unless `value` is a string: untyped callers (JavaScript, JSON bodies) get
 * an error that says what to pass instead of a `TypeError` from deep inside a scanner.
 */
export function requireText(value: unknown, where: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new CascadeError('INVALID_INPUT', `${where} expects the text as a string, got ${describeType(value)}. Pass the message text (e.g. message.content), or '' for none.`);
  }
}

/** Throws `INVALID_INPUT` unless `value` is an array. */
export function requireArray(value: unknown, where: string, what: string): asserts value is readonly unknown[] {
  if (!Array.isArray(value)) throw new CascadeError('INVALID_INPUT', `${where} expects ${what} as an array, got ${describeType(value)}.`);
}

/** `value` is an object with a `method` function (a dependency passed in by the caller). */
export function hasMethod(value: unknown, method: string): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[method] === 'function';
}

/** Throws `INVALID_CONFIG` unless `options` is undefined or an object (the last options argument of an API). */
export function requireOptions(options: unknown, where: string): void {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new CascadeError('INVALID_CONFIG', `${where} expects its options as an object such as { abortSignal }, got ${describeType(options)}. Omit it or pass {}.`);
  }
}

/** Throws `INVALID_INPUT` unless `source` can be iterated with `for await` (an async iterable or an iterable). */
export function requireStream(source: unknown, where: string): void {
  const iterable =
    typeof source === 'object' && source !== null && (typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' || typeof (source as Iterable<unknown>)[Symbol.iterator] === 'function');
  if (!iterable) {
    throw new CascadeError('INVALID_INPUT', `${where} expects the stream as an AsyncIterable of text deltas (e.g. a model's text stream or an async generator), got ${describeType(source)}.`);
  }
}
