// Every TypeScript block of every README is a file that the package's typecheck compiles.
// A block is bound to its file by an HTML comment on the line before the fence:
//   <!-- example: examples/readme/quick-start.ts -->   (path relative to the README)
// `tsx scripts/readme-snippets.ts --write` copies each block into its file; without `--write`
// it reports blocks without a marker, blocks that differ from their file, and orphaned files.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** A fenced TypeScript block of a README and the file it is bound to. */
export interface Snippet {
  /** README path relative to the repository root. */
  readme: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** Bound file relative to the repository root; undefined when the block has no marker. */
  file: string | undefined;
  /** The block's text with a trailing newline, as the file must hold it. */
  code: string;
}

const MARKER = /^<!--\s*example:\s*(\S+)\s*-->$/;
const TYPESCRIPT_FENCE = /^```(ts|typescript|tsx|mts|cts)\s*$/;

/** README files whose TypeScript blocks must compile: the root, packages/* and apps/*. */
export function listReadmes(root: string): string[] {
  const found = existsSync(join(root, 'README.md')) ? ['README.md'] : [];
  for (const group of ['packages', 'apps']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (existsSync(join(dir, name, 'README.md'))) found.push(`${group}/${name}/README.md`);
    }
  }
  return found;
}

/** The TypeScript blocks of one README (path relative to `root`), with their bound files. */
export function findSnippets(root: string, readme: string): Snippet[] {
  const lines = readFileSync(join(root, readme), 'utf8').split('\n');
  const snippets: Snippet[] = [];
  let fence: { line: number; file: string | undefined; body: string[] } | undefined;
  let inOtherFence = false;
  for (const [index, line] of lines.entries()) {
    if (fence) {
      if (line.trimEnd() === '```') {
        snippets.push({ readme, line: fence.line, file: fence.file, code: `${fence.body.join('\n')}\n` });
        fence = undefined;
      } else fence.body.push(line);
      continue;
    }
    if (line.startsWith('```')) {
      if (inOtherFence) inOtherFence = false;
      else if (TYPESCRIPT_FENCE.test(line)) fence = { line: index + 1, file: markerBefore(lines, index, root, readme), body: [] };
      else inOtherFence = true;
    }
  }
  return snippets;
}

// The marker is the closest non-blank line above the fence.
function markerBefore(lines: string[], fenceIndex: number, root: string, readme: string): string | undefined {
  for (let index = fenceIndex - 1; index >= 0; index--) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    const match = MARKER.exec(line);
    return match ? relative(root, resolve(root, dirname(readme), match[1]!)) : undefined;
  }
  return undefined;
}

// Files under an `examples/readme` folder next to a README must each be bound to one of its blocks.
function readmeExampleFiles(root: string, readme: string): string[] {
  const dir = join(root, dirname(readme), 'examples', 'readme');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => relative(root, join(dir, name)));
}

/** What is wrong with the READMEs under `root`: one line per problem, empty when all blocks match their files. */
export function checkSnippets(root: string): string[] {
  const problems: string[] = [];
  for (const readme of listReadmes(root)) {
    const snippets = findSnippets(root, readme);
    const bound = new Set<string>();
    for (const snippet of snippets) {
      const where = `${snippet.readme}:${snippet.line}`;
      if (!snippet.file) {
        problems.push(`${where}: TypeScript block without an <!-- example: examples/readme/<name>.ts --> marker on the line above`);
        continue;
      }
      if (bound.has(snippet.file)) problems.push(`${where}: ${snippet.file} is bound to two blocks`);
      bound.add(snippet.file);
      const path = join(root, snippet.file);
      if (!existsSync(path)) problems.push(`${where}: ${snippet.file} does not exist (run \`pnpm readme:snippets\`)`);
      else if (readFileSync(path, 'utf8') !== snippet.code) problems.push(`${where}: block differs from ${snippet.file} (edit the README, then run \`pnpm readme:snippets\`)`);
    }
    for (const file of readmeExampleFiles(root, readme)) {
      if (!bound.has(file)) problems.push(`${file}: no block of ${readme} is bound to it (delete it or add a marker)`);
    }
  }
  return problems;
}

/** Writes every bound block into its file; returns the files that changed. */
export function writeSnippets(root: string): string[] {
  const written: string[] = [];
  for (const readme of listReadmes(root)) {
    for (const snippet of findSnippets(root, readme)) {
      if (!snippet.file) continue;
      const path = join(root, snippet.file);
      if (existsSync(path) && readFileSync(path, 'utf8') === snippet.code) continue;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, snippet.code);
      written.push(snippet.file);
    }
  }
  return written;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  const root = join(import.meta.dirname, '..');
  if (process.argv.includes('--write')) for (const file of writeSnippets(root)) console.log(`wrote ${file}`);
  const problems = checkSnippets(root);
  for (const problem of problems) console.error(problem);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
