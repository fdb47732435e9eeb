/** Starting the bot in webhook mode against the emulator, and talking raw HTTP to its server. */
import { createServer, Socket } from 'node:net';
import { spawnBot, type BotEnv, type BotProcess } from './bot-process.ts';
import type { Emulator } from './emulator.ts';

/** The WEBHOOK_SECRET the tests give the bot. */
export const WEBHOOK_SECRET = 'webhook-secret-for-tests-0123456789';

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/**
 * Spawns the bot in webhook mode on a free port (updates on `/telegram`) and resolves once it has
 * registered the webhook with the emulator.
 */
export async function spawnWebhookBot(emu: Emulator, env: BotEnv = {}): Promise<{ bot: BotProcess; port: number }> {
  const port = await freePort();
  const since = emu.mark();
  const bot = spawnBot({
    BOT_TOKEN: emu.token,
    TELEGRAM_API_ROOT: emu.apiRoot,
    DATA_DIR: 'data',
    LOG_LEVEL: 'debug',
    WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`,
    WEBHOOK_SECRET,
    PORT: String(port),
    ...env,
  });
  try {
    await Promise.race([
      emu.waitForCall('setWebhook', undefined, { since, timeoutMs: 15_000 }),
      bot.exited.then((code) => Promise.reject(new Error(`the bot exited with code ${code} before setting its webhook`))),
    ]);
  } catch (error) {
    bot.kill();
    throw new Error(`${(error as Error).message}\nbot output:\n${bot.output}`);
  }
  return { bot, port };
}

/** What a raw connection received, and how it ended. */
export interface RawExchange {
  /** Everything the server sent. */
  received: string;
  /** The status code of the first response, if one came. */
  status: number | undefined;
  /** Whether the server closed (or reset) the connection. */
  closedByServer: boolean;
}

/** A connection to 127.0.0.1:`port` that records what the server sends; for requests fetch() cannot make. */
export class RawConnection {
  readonly socket: Socket;
  private received = '';
  private closedByServer = false;
  private readonly closed: Promise<void>;

  constructor(port: number) {
    this.socket = new Socket();
    this.socket.setEncoding('latin1');
    this.socket.on('data', (chunk: string) => (this.received += chunk));
    this.closed = new Promise((resolve) => {
      this.socket.once('close', () => {
        this.closedByServer = !this.endedByUs;
        resolve();
      });
    });
    this.socket.on('error', () => undefined); // a reset is an ending like any other here
    this.socket.connect(port, '127.0.0.1');
  }

  private endedByUs = false;

  /** Writes, waiting while the socket's buffer is full; false once the connection is gone. */
  async write(data: string | Buffer): Promise<boolean> {
    if (this.socket.destroyed || this.socket.writableEnded) return false;
    if (!this.socket.write(data)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.socket.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        this.socket.once('drain', done);
        this.socket.once('close', done);
      });
    }
    return !this.socket.destroyed;
  }

  get state(): RawExchange {
    const match = /^HTTP\/1\.1 (\d{3})/.exec(this.received);
    return { received: this.received, status: match ? Number(match[1]) : undefined, closedByServer: this.closedByServer };
  }

  /** Resolves when the server has closed the connection, or after `timeoutMs`. */
  async waitForClose(timeoutMs: number): Promise<RawExchange> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    return this.state;
  }

  /** Closes the connection from our side. */
  destroy(): void {
    if (!this.socket.destroyed) this.endedByUs = true;
    this.socket.destroy();
  }
}
