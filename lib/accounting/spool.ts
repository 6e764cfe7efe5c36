/**
 * The accounting spool (`serve --accounting` with `--proxy-realm`): an Accounting-Request of a
 * realm routed to a home server is recorded here and kept in the store's accounting_spool in the
 * same transaction, with the home its realm's pool picked then, and the NAS is answered then. The
 * spool is sent to each home through the engine's proxy (RadiusEngine spool()), one request at a
 * time per home, oldest first, so a home that stopped holds back only its own requests; a request
 * the home acknowledged is deleted, one it did not stays and is sent again after a pause that
 * doubles (1 s to 30 s), so a home that comes back gets every request in the order it came. A
 * request whose home a reload took out of its realm's route goes where the pool sends it now,
 * still in its turn among those spooled for the home it was spooled for.
 * The spool is in the store: a request left when serve stops is sent once it starts again. Each
 * goes with the time it waited, which native/radius adds to its Acct-Delay-Time (RFC 2866 §5.2).
 */
import type { RadiusAttribute } from '../radius/attributes';
import type { AccountingBackend } from './backend';

/** The first pause after a home left a request unanswered, and the longest. */
const FIRST_PAUSE_MS = 1000;
const LONGEST_PAUSE_MS = 30_000;

/** How the engine's proxy is asked to send one spooled request (its id is the spool's own). */
export type SpoolSender = (id: number, attributes: readonly RadiusAttribute[], waitedSeconds: number, home: string) => void;

/** What the spool counted: requests spooled (each once) and replayed (acknowledged by their home), and those kept now. */
export interface SpoolCounts {
  spooled: number;
  replayed: number;
  depth: number;
}

export class AccountingSpool {
  private send: SpoolSender | undefined;
  /** Each home's request out to it: the engine's id for it and the store's. */
  private readonly out = new Map<string, { id: number; row: number }>();
  /** Each home that left its last request unanswered: when to send again, and the pause. */
  private readonly paused = new Map<string, { until: number; pauseMs: number }>();
  private lastId = 0;
  private running = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  readonly counts: SpoolCounts = { spooled: 0, replayed: 0, depth: 0 };

  constructor(private readonly backend: AccountingBackend, private readonly say: (line: string) => void) {}

  /** The engine now serving (undefined: none); the spool's requests go to it. */
  started(send: SpoolSender | undefined): void {
    this.send = send;
    // What the last engine had out is sent again by this one (a home takes a request twice as a retry).
    this.out.clear();
    this.kick();
  }

  /** A request was spooled (its transaction committed): sent once its home's earlier ones are. */
  spooled(): void {
    this.counts.spooled++;
    this.kick();
  }

  /** The engine's word on a request it sent: its home acknowledged it (deleted) or not (kept, sent again later). */
  answered(id: number, acknowledged: boolean): void {
    const home = [...this.out].find(([, sent]) => sent.id === id)?.[0];
    if (home === undefined) return;
    const { row } = this.out.get(home)!;
    if (!acknowledged) {
      this.out.delete(home);
      const pauseMs = Math.min(LONGEST_PAUSE_MS, (this.paused.get(home)?.pauseMs ?? FIRST_PAUSE_MS / 2) * 2);
      this.paused.set(home, { until: Date.now() + pauseMs, pauseMs });
      this.kick();
      return;
    }
    this.paused.delete(home);
    this.backend.unspool(row).then((depth) => {
      this.counts.replayed++;
      this.counts.depth = depth;
    }, (error: unknown) => this.say(`accounting spool: cannot delete a request its home acknowledged: ${String(error)}`))
      .finally(() => {
        this.out.delete(home);
        this.kick();
      });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  /** Sends each home's oldest request when it has none out and is not paused; one pass at a time. */
  private kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.again = false;
    this.pass().catch((error: unknown) => this.say(`accounting spool: cannot read the spool: ${String(error)}`)).finally(() => {
      this.running = false;
      if (this.again) this.kick();
    });
  }

  private async pass(): Promise<void> {
    const heads = await this.backend.spoolHeads();
    this.counts.depth = await this.backend.spoolDepth();
    const now = Date.now();
    let wake = Infinity;
    for (const head of heads) {
      if (this.send === undefined || this.closed) return;
      if (this.out.has(head.home)) continue;
      const paused = this.paused.get(head.home);
      if (paused !== undefined && paused.until > now) {
        wake = Math.min(wake, paused.until);
        continue;
      }
      this.lastId = this.lastId >= 0xffffffff ? 1 : this.lastId + 1;
      this.out.set(head.home, { id: this.lastId, row: head.id });
      this.send(this.lastId, head.attributes, Math.max(0, Math.floor((Date.now() - head.receivedAt) / 1000)), head.home);
    }
    clearTimeout(this.timer);
    if (wake !== Infinity) this.timer = setTimeout(() => this.kick(), wake - now);
  }
}
