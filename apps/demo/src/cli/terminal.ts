import pc from 'picocolors';

/** Colour functions; identity when colour is off. */
export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
}

/** Where the CLI writes: a stream (stdout) or a buffer (tests), with colour only on a TTY. */
export interface Terminal {
  readonly color: Palette;
  readonly isTTY: boolean;
  /** The underlying stream, for live widgets (progress bars); absent for buffers. */
  readonly stream?: NodeJS.WriteStream;
  /** Writes text as is (live streaming). */
  write(text: string): void;
  /** Writes one line. */
  line(text?: string): void;
}

const plain: Palette = { bold: String, dim: String, green: String, yellow: String, red: String, cyan: String, magenta: String };

/** A terminal over a writable stream: colour when it is a TTY and NO_COLOR is unset. */
export function streamTerminal(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Terminal {
  const isTTY = stream.isTTY === true;
  const colored = isTTY && !env.NO_COLOR;
  const palette: Palette = colored ? pc.createColors(true) : plain;
  return {
    color: palette,
    isTTY,
    stream,
    write: (text) => void stream.write(text),
    line: (text = '') => void stream.write(`${text}\n`),
  };
}

/** A terminal that keeps everything written, without colour (tests, README capture). */
export function bufferTerminal(): Terminal & { text(): string } {
  const chunks: string[] = [];
  return {
    color: plain,
    isTTY: false,
    write: (text) => void chunks.push(text),
    line: (text = '') => void chunks.push(`${text}\n`),
    text: () => chunks.join(''),
  };
}
