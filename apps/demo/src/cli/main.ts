import { CascadeError } from '@cascade/core';
import { commandTour } from './command-tour';
import { streamTerminal } from './terminal';
import { USAGE } from './usage';

type Command = (args: string[], terminal: ReturnType<typeof streamTerminal>) => Promise<number>;

async function loadCommand(name: string): Promise<Command | undefined> {
  switch (name) {
    case 'tour':
      return commandTour;
    case 'ask':
      return (await import('./command-ask')).commandAsk;
    case 'batch':
      return (await import('./command-batch')).commandBatch;
    case 'serve':
      return (await import('./command-serve')).commandServe;
    case 'admin':
      return (await import('./command-admin')).commandAdmin;
    default:
      return undefined;
  }
}

async function main(argv: string[]): Promise<number> {
  const terminal = streamTerminal(process.stdout);
  // pnpm may forward a leading "--" separator.
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const first = args[0];
  if (first === 'help' || first === '--help' || first === '-h') {
    terminal.line(USAGE);
    return 0;
  }
  const named = first !== undefined && !first.startsWith('-');
  const command = await loadCommand(named ? first : 'tour');
  if (!command) {
    process.stderr.write(`Unknown command "${first}".\n\n${USAGE}\n`);
    return 2;
  }
  return command(named ? args.slice(1) : args, terminal);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (CascadeError.isInstance(error)) {
    process.stderr.write(`${error.code}: ${error.message}\n`);
  } else if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
  } else {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exitCode = 1;
}
