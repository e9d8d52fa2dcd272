import { HttpError } from './http-error';

/** Deepest JSON nesting a request body may have; a chat request needs about 5 levels. */
export const DEFAULT_MAX_JSON_DEPTH = 64;
/**
 * Most JSON values (arrays, objects and comma-separated items) a body may hold. A chat request with
 * 500 messages needs ~2,500; 1 MiB of `[[],[],…]` or `{"k1":0,…}` holds ~250,000, which `JSON.parse`
 * and the schema take ~0.2 s each to build and walk (superlinear with the garbage collector).
 */
export const DEFAULT_MAX_JSON_VALUES = 10_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;

/** Limits of {@link createJsonShapeGuard}. */
export interface JsonShapeLimits {
  maxDepth: number;
  maxValues: number;
}

/** Feeds raw body bytes through {@link JsonShapeGuard.feed}; throws on the byte that passes a limit. */
export interface JsonShapeGuard {
  feed(chunk: Uint8Array): void;
}

/**
 * A one-pass, constant-memory scan of JSON bytes as they arrive that refuses nesting deeper than
 * `maxDepth` (400 `json_too_deep`) and more than `maxValues` values (400 `json_too_complex`) before
 * `JSON.parse` runs: V8 spends ~0.5 s on 1 MiB of `[`. Quotes, backslashes, brackets and commas are
 * ASCII, which never occurs inside a UTF-8 multi-byte sequence, so scanning bytes is exact and chunk
 * boundaries need no care. Malformed JSON is left to `JSON.parse`.
 */
export function createJsonShapeGuard(limits: JsonShapeLimits): JsonShapeGuard {
  const { maxDepth, maxValues } = limits;
  let depth = 0;
  let values = 0;
  let inString = false;
  let escaped = false;
  const tooMany = (): HttpError =>
    new HttpError(400, 'invalid_request_error', 'json_too_complex', `The request body holds more than ${maxValues} JSON values (arrays, objects, items); a chat completion request needs far fewer.`);
  return {
    feed(chunk) {
      for (let index = 0; index < chunk.length; index++) {
        const byte = chunk[index]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === BACKSLASH) escaped = true;
          else if (byte === QUOTE) inString = false;
        } else if (byte === QUOTE) {
          inString = true;
        } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
          if (++depth > maxDepth) {
            throw new HttpError(400, 'invalid_request_error', 'json_too_deep', `The request body nests JSON deeper than ${maxDepth} levels; a chat completion request needs far fewer.`);
          }
          if (++values > maxValues) throw tooMany();
        } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
          depth--;
        } else if (byte === COMMA) {
          if (++values > maxValues) throw tooMany();
        }
      }
    },
  };
}
