import { type Server, type Socket, createServer } from 'node:net';

/** A loopback Redis that answers the connection handshake (INFO, PING), then goes away. */
export interface FakeRedis {
  url: string;
  /** Commands received, upper-cased names. */
  commands: string[];
  close(): Promise<void>;
}

/** Parses RESP arrays of bulk strings (what clients send) from the front of `buffer`; returns the rest. */
function takeCommands(buffer: string, onCommand: (args: string[]) => void): string {
  let rest = buffer;
  for (;;) {
    const header = /^\*(\d+)\r\n/.exec(rest);
    if (!header) return rest;
    let offset = header[0].length;
    const args: string[] = [];
    for (let index = 0; index < Number(header[1]); index++) {
      const bulk = /^\$(\d+)\r\n/.exec(rest.slice(offset));
      if (!bulk) return rest;
      const start = offset + bulk[0].length;
      const end = start + Number(bulk[1]);
      if (rest.length < end + 2) return rest;
      args.push(rest.slice(start, end));
      offset = end + 2;
    }
    rest = rest.slice(offset);
    onCommand(args);
  }
}

/**
 * Starts a fake Redis for the "Redis went away while serving" case: it passes ioredis' ready check and
 * `openLimitsBackend`'s PING, and on the first script (a limit decision) closes every connection
 * and stops listening, so the client's retries fail as they would against a dead Redis.
 */
export async function startDyingRedis(): Promise<FakeRedis> {
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  let dead = false;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer = takeCommands(buffer + chunk.toString('latin1'), (args) => {
        const name = (args[0] ?? '').toUpperCase();
        commands.push(name);
        if (name === 'INFO') {
          const info = '# Server\r\nredis_version:7.2.0\r\nloading:0\r\n';
          socket.write(`$${info.length}\r\n${info}\r\n`);
        } else if (name === 'PING') {
          socket.write('+PONG\r\n');
        } else if (name === 'QUIT') {
          socket.end('+OK\r\n');
        } else if (!/^(EVAL|EVALSHA|EVAL_RO|EVALSHA_RO|SCRIPT|FCALL)$/.test(name)) {
          socket.write('+OK\r\n'); // CLIENT SETINFO, SELECT, ...: the handshake goes through
        } else if (!dead) {
          dead = true;
          server.close();
          for (const open of sockets) open.destroy();
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    commands,
    async close() {
      for (const open of sockets) open.destroy();
      if (!dead) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
