import { z } from 'zod';

/** A time unit accepted in a {@link Duration} string. */
export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';

/**
 * A window length: milliseconds as a number, or a string like `'10 s'`, `'1m'`, `'1 h'`, `'1 d'`.
 *
 * @example
 * const window: Duration = '1 m';
 */
export type Duration = number | `${number} ${DurationUnit}` | `${number}${DurationUnit}`;

const UNIT_MS: Readonly<Record<DurationUnit, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
// Anchored, no nested quantifiers: linear on any input.
const DURATION_PATTERN = /^(\d{1,12}(?:\.\d{1,6})?) ?(ms|s|m|h|d)$/;

/**
 * Converts a {@link Duration} to whole milliseconds, or returns `undefined` when it is not one.
 *
 * @param duration - a number of ms or a string such as `'1 m'`.
 * @example
 * toMilliseconds('1 m'); // 60000
 */
export function toMilliseconds(duration: unknown): number | undefined {
  if (typeof duration === 'number') return Number.isInteger(duration) && duration > 0 ? duration : undefined;
  if (typeof duration !== 'string') return undefined;
  const match = DURATION_PATTERN.exec(duration.trim());
  if (!match) return undefined;
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2] as DurationUnit]);
  return ms > 0 ? ms : undefined;
}

/** Zod schema of a {@link Duration}; its output is whole milliseconds. */
export const durationSchema = z
  .union([z.number(), z.string()])
  .transform((value, context) => {
    const ms = toMilliseconds(value);
    if (ms === undefined) {
      context.addIssue({
        code: 'custom',
        message: `"${String(value)}" is not a duration: use a positive whole number of ms or a string like "1 s", "10 m", "1 h", "1 d"`,
      });
      return z.NEVER;
    }
    return ms;
  });
