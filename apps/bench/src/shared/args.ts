/** Parsed command-line flags: `--name value`, `--name=value`, or a bare `--flag` (true). */
export type BenchArgs = ReadonlyMap<string, string | true>;

/** Parses `--flag value` / `--flag=value` / `--flag` arguments; positional arguments are ignored. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const args = new Map<string, string | true>();
  for (let index = 0; index < argv.length; index++) {
    const raw = argv[index]!;
    if (!raw.startsWith('--')) continue;
    const equals = raw.indexOf('=');
    if (equals > 0) {
      args.set(raw.slice(2, equals), raw.slice(equals + 1));
      continue;
    }
    const next = argv[index + 1];
    if (next !== undefined && !next.startsWith('--')) {
      args.set(raw.slice(2), next);
      index++;
    } else args.set(raw.slice(2), true);
  }
  return args;
}

/** A string flag, or `fallback`. */
export function stringArg(args: BenchArgs, name: string, fallback?: string): string | undefined {
  const value = args.get(name);
  return typeof value === 'string' ? value : fallback;
}

/** A numeric flag, or `fallback`; a non-number is an error naming the flag. */
export function numberArg(args: BenchArgs, name: string, fallback: number): number {
  const value = args.get(name);
  if (typeof value !== 'string') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`--${name} must be a number (got "${value}")`);
  return parsed;
}
