import { createRequire } from 'node:module';
import { CascadeError } from '../errors/cascade-error';

/** The three calls core makes on the o200k BPE tokenizer (`gpt-tokenizer/encoding/o200k_base`). */
export interface BpeTokenizer {
  countTokens(text: string, options?: { disallowedSpecial: Set<string> }): number;
  encode(text: string, options?: { disallowedSpecial: Set<string> }): number[];
  decode(tokens: readonly number[]): string;
}

/** The package core loads on demand for exact counts; an optional peer (52 MB installed). */
export const TOKENIZER_PACKAGE = 'gpt-tokenizer';
const TOKENIZER_MODULE = 'gpt-tokenizer/encoding/o200k_base';

let loaded: BpeTokenizer | null | undefined;
let override: BpeTokenizer | null | undefined;

function requireHere(): NodeJS.Require {
  // tsup's shims turn import.meta.url into the file's URL in the CJS build.
  return createRequire(import.meta.url);
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
}

/**
 * The o200k tokenizer, loaded synchronously on the first call that needs an exact count (never at
 * import: it costs ~0.4 s and most of an install's size), or `undefined` when `gpt-tokenizer` is not
 * installed — counts then fall back to {@link approximateTokens}.
 */
export function loadBpe(): BpeTokenizer | undefined {
  if (override !== undefined) return override ?? undefined;
  if (loaded === undefined) {
    try {
      loaded = requireHere()(TOKENIZER_MODULE) as BpeTokenizer;
    } catch (error) {
      if (!isModuleNotFound(error)) throw error;
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/** True when exact o200k counts are available (`gpt-tokenizer` is installed). Loads the tokenizer. */
export function hasExactTokenizer(): boolean {
  return loadBpe() !== undefined;
}

/**
 * Test hook: `null` pretends the tokenizer is not installed, `undefined` restores the real one.
 * @internal
 */
export function setBpeForTesting(tokenizer: BpeTokenizer | null | undefined): void {
  override = tokenizer;
}

/**
 * {@link loadBpe}, or a `CascadeError('INVALID_CONFIG')` saying to install `gpt-tokenizer`, for code
 * that cannot work on an approximation (the fake OpenAI server's token streaming).
 */
export function requireBpe(what: string): BpeTokenizer {
  const tokenizer = loadBpe();
  if (tokenizer === undefined) {
    throw new CascadeError('INVALID_CONFIG', `${what} needs exact o200k tokens: install the optional peer "${TOKENIZER_PACKAGE}" (pnpm add ${TOKENIZER_PACKAGE}).`);
  }
  return tokenizer;
}
