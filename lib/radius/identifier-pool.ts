/**
 * The 256 RADIUS identifiers towards one server (one source address+port, one destination).
 * An identifier is never handed out while a request with it is outstanding: a reply is matched
 * to its request by identifier alone, and its authenticator is checked against that request.
 * Identifiers are handed out round-robin so that a late reply to a finished request most
 * likely finds its identifier unused (dropped as unexpected) rather than reused.
 * When all 256 are in use, callers wait in FIFO order.
 */
export class IdentifierPool {
  private readonly inUse = new Uint8Array(256);
  private outstanding = 0;
  private next = 0;
  private readonly waiters: Array<(identifier: number) => void> = [];
  /** How many acquisitions had to wait for a free identifier (for stats and tests). */
  waits = 0;

  constructor(firstIdentifier = Math.floor(Math.random() * 256)) {
    this.next = firstIdentifier & 0xff;
  }

  get size(): number {
    return this.outstanding;
  }

  isInUse(identifier: number): boolean {
    return this.inUse[identifier] === 1;
  }

  /** Resolves with a free identifier, immediately if one is free. */
  acquire(): Promise<number> {
    const identifier = this.tryAcquire();
    if (identifier !== undefined) {
      return Promise.resolve(identifier);
    }
    this.waits++;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Withdraws a waiting acquisition (its caller was aborted). */
  cancelWaiter(resolve: (identifier: number) => void): void {
    const index = this.waiters.indexOf(resolve);
    if (index !== -1) {
      this.waiters.splice(index, 1);
    }
  }

  /** Returns an identifier; a waiting caller takes it over directly. */
  release(identifier: number): void {
    if (this.inUse[identifier] !== 1) {
      throw new Error(`RADIUS identifier ${identifier} released twice`);
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter(identifier);
      return;
    }
    this.inUse[identifier] = 0;
    this.outstanding--;
  }

  private tryAcquire(): number | undefined {
    if (this.outstanding === 256) {
      return undefined;
    }
    while (this.inUse[this.next] === 1) {
      this.next = (this.next + 1) & 0xff;
    }
    const identifier = this.next;
    this.inUse[identifier] = 1;
    this.outstanding++;
    this.next = (this.next + 1) & 0xff;
    return identifier;
  }
}
