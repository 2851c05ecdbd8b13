// A TCP proxy on 127.0.0.1 in front of the hub, for fault tests: stations connect to its URL and
// the test makes the network misbehave on command — pass through, delay bytes, drop every
// connection, cut a connection after N more bytes (mid-batch), reset connections (RST), refuse new
// connections for a while (the listening socket is closed: a real ECONNREFUSED). It counts what
// it did, so a test can check that a fault really happened.
import net from 'node:net';

export type Direction = 'up' | 'down';

export interface ProxyStats {
  /** Connections accepted (including those refused by upstream failures). */
  accepted: number;
  /** Connections ended by dropAll (FIN). */
  dropped: number;
  /** Connections reset by resetAll or a cut in reset mode (RST). */
  reset: number;
  /** Connections cut after their byte budget. */
  cut: number;
  /** Bytes passed station → hub and hub → station. */
  bytesUp: number;
  bytesDown: number;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

export class FaultyProxy {
  readonly stats: ProxyStats = { accepted: 0, dropped: 0, reset: 0, cut: 0, bytesUp: 0, bytesDown: 0 };
  private readonly pairs = new Set<Pair>();
  private delayMs = 0;
  private cut: { direction: Direction; left: number; reset: boolean } | undefined;
  private server: net.Server;
  private refusing = false;

  private constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
    server: net.Server,
  ) {
    this.server = server;
  }

  /** A proxy to the hub at `target` (its http://127.0.0.1:PORT URL, or host and port). */
  static async start(target: string | { host: string; port: number }): Promise<FaultyProxy> {
    const t = typeof target === 'string' ? { host: new URL(target).hostname, port: Number(new URL(target).port) } : target;
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const proxy = new FaultyProxy(t, (server.address() as net.AddressInfo).port, server);
    server.on('connection', (c) => proxy.accept(c));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Connections open now. */
  get open(): number {
    return this.pairs.size;
  }

  /** Every fault off: bytes pass at once, new connections are accepted. */
  async pass(): Promise<void> {
    this.delayMs = 0;
    this.cut = undefined;
    await this.acceptAgain();
  }

  /** Holds every chunk, both ways, this long before passing it on (order is kept). */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  /** Ends every open connection (FIN both ways), as when a router drops a NAT entry politely. */
  dropAll(): number {
    const n = this.pairs.size;
    for (const p of [...this.pairs]) {
      this.stats.dropped++;
      this.end(p, false);
    }
    return n;
  }

  /** Resets every open connection (RST), as when a middlebox kills them. */
  resetAll(): number {
    const n = this.pairs.size;
    for (const p of [...this.pairs]) {
      this.stats.reset++;
      this.end(p, true);
    }
    return n;
  }

  /**
   * Lets `bytes` more bytes pass in `direction` (over any connection), then cuts the connection
   * that carries the next one in the middle of its chunk: the hub (or the station) gets half a
   * frame, then the connection ends (RST when `reset`). One cut per call.
   */
  cutAfter(bytes: number, direction: Direction = 'up', reset = false): void {
    this.cut = { direction, left: bytes, reset };
  }

  /** Whether the last cutAfter has fired. */
  get cutPending(): boolean {
    return this.cut !== undefined;
  }

  /** Closes the listening socket: new connections are refused (ECONNREFUSED); open ones stay. */
  async refuse(): Promise<void> {
    if (this.refusing) return;
    this.refusing = true;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Accepts new connections again (after refuse), on the same port. */
  async acceptAgain(): Promise<void> {
    if (!this.refusing) return;
    const server = net.createServer();
    server.on('connection', (c) => this.accept(c));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.refusing = false;
  }

  /** Stops the proxy: open connections are reset. */
  async close(): Promise<void> {
    for (const pair of [...this.pairs]) this.end(pair, true);
    if (this.refusing) return;
    this.refusing = true;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private end(p: Pair, reset: boolean): void {
    this.pairs.delete(p);
    if (reset) {
      if (!p.client.destroyed) p.client.resetAndDestroy();
      if (!p.upstream.destroyed) p.upstream.resetAndDestroy();
    } else {
      p.client.end();
      p.upstream.end();
      // A peer that never answers the FIN must not keep the connection half open.
      setTimeout(() => (p.client.destroy(), p.upstream.destroy()), 200).unref();
    }
  }

  private accept(client: net.Socket): void {
    this.stats.accepted++;
    client.setNoDelay(true);
    const upstream = net.connect({ host: this.target.host, port: this.target.port });
    upstream.setNoDelay(true);
    const pair: Pair = { client, upstream };
    this.pairs.add(pair);
    const end = () => {
      if (!this.pairs.has(pair)) return;
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    this.pipe(pair, client, upstream, 'up');
    this.pipe(pair, upstream, client, 'down');
  }

  private pipe(pair: Pair, from: net.Socket, to: net.Socket, direction: Direction): void {
    // Chunks are written in arrival order; each waits until its own due time.
    let chain = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      const due = Date.now() + this.delayMs;
      const forward = () => {
        if (!this.pairs.has(pair) || to.destroyed) return;
        let data = chunk;
        const cut = this.cut;
        if (cut && cut.direction === direction) {
          if (data.length > cut.left) {
            // Half of this chunk goes through, then the connection is cut.
            data = data.subarray(0, cut.left);
            this.cut = undefined;
            if (data.length > 0) to.write(data);
            this.count(direction, data.length);
            this.stats.cut++;
            if (cut.reset) this.stats.reset++;
            // Give the half chunk a moment to leave before the connection goes.
            setImmediate(() => this.end(pair, cut.reset));
            return;
          }
          cut.left -= data.length;
        }
        this.count(direction, data.length);
        to.write(data);
      };
      chain = chain.then(async () => {
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        forward();
      });
    });
  }

  private count(direction: Direction, n: number): void {
    if (direction === 'up') this.stats.bytesUp += n;
    else this.stats.bytesDown += n;
  }
}
