/**
 * One keep-alive HTTP/1.1 connection that sends one request at a time (no pipelining) and reads
 * answers framed by Content-Length, which is how fastify sends JSON. It exists so the load tool
 * measures the server and not itself: node:http's client costs the generator several times what
 * the server spends on the same request (request objects, header validation, URL parsing,
 * writev of headers and body), and on a 2-core machine the generator then sets the rate.
 * Anything this parser does not understand (chunked answers, a bad status line) fails the
 * exchange with a message rather than guessing.
 */
import net from 'node:net';

export interface RawAnswer {
  status: number;
  text: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

interface Pending {
  resolve(answer: RawAnswer): void;
  reject(error: Error): void;
}

export class RawConnection {
  private socket: net.Socket | undefined;
  private pending: Pending | undefined;
  private buffered: Buffer = Buffer.alloc(0);
  private closeAfter = false;
  private readonly hostHeader: string;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs: number,
  ) {
    this.hostHeader = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  /** Sends one request and resolves with its answer; a connection error rejects. */
  send(method: string, path: string, body: string): Promise<RawAnswer> {
    if (this.pending !== undefined) throw new Error('raw connection: one request at a time');
    const socket = this.socket ?? this.connect();
    const head =
      `${method} ${path} HTTP/1.1\r\nhost: ${this.hostHeader}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`;
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      // One write of one string: one syscall, no writev of headers and body apart.
      socket.write(head + body);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connect(): net.Socket {
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    socket.setTimeout(this.timeoutMs);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('timeout', () => this.fail(socket, `no answer within ${this.timeoutMs} ms`));
    socket.on('error', (error) => this.fail(socket, error.message));
    socket.on('close', () => this.fail(socket, 'connection closed'));
    this.socket = socket;
    this.buffered = Buffer.alloc(0);
    return socket;
  }

  private fail(socket: net.Socket, message: string): void {
    if (this.socket !== socket) return;
    socket.destroy();
    this.socket = undefined;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(new Error(`transport: ${message}`));
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const headerEnd = this.buffered.indexOf(HEADER_END);
    if (headerEnd === -1) return;

    const head = this.buffered.toString('latin1', 0, headerEnd);
    const framing = parseHead(head);
    if (typeof framing === 'string') {
      this.fail(this.socket!, framing);
      return;
    }
    const bodyStart = headerEnd + HEADER_END.length;
    if (this.buffered.length < bodyStart + framing.contentLength) return;

    const bodyEnd = bodyStart + framing.contentLength;
    const text = this.buffered.toString('utf8', bodyStart, bodyEnd);
    this.buffered = this.buffered.subarray(bodyEnd);
    const pending = this.pending;
    this.pending = undefined;
    if (framing.close) this.close();
    pending?.resolve({ status: framing.status, text });
  }
}

interface Framing {
  status: number;
  contentLength: number;
  close: boolean;
}

/** Status, Content-Length and Connection of a response head, or why it cannot be read. */
function parseHead(head: string): Framing | string {
  const status = Number(head.slice(9, 12));
  if (!head.startsWith('HTTP/1.1 ') || !Number.isInteger(status)) {
    return `unreadable status line ${JSON.stringify(head.slice(0, 40))}`;
  }
  const lower = head.toLowerCase();
  if (lower.includes('\r\ntransfer-encoding:')) return 'chunked answers are not supported';
  const at = lower.indexOf('\r\ncontent-length:');
  if (at === -1) return 'answer without content-length';
  const end = lower.indexOf('\r\n', at + 2);
  const contentLength = Number(lower.slice(at + 17, end === -1 ? undefined : end).trim());
  if (!Number.isSafeInteger(contentLength) || contentLength < 0) return 'bad content-length';
  return { status, contentLength, close: lower.includes('\r\nconnection: close') };
}
