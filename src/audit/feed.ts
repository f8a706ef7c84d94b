// HIS-7 (issue 15): the live change feed — an account's audit entries as they are committed, to any
// number of instances, by tailing the audit table (no process-local bus: an entry written by another
// instance, or another process, is seen the same way).
//
// Why a watermark and not "id > last seen": entry ids are handed out when the entry is inserted, not when
// its transaction commits. On PostgreSQL two transactions may commit out of id order (9 after 10), and a
// rolled-back one (a dry run, a refused mutation) leaves its id unused for ever. So the tail keeps a
// watermark W (every id ≤ W has been handled: delivered, not the account's, or given up as never
// committed) plus the ids above W already delivered. An entry is delivered as soon as it is seen; a hole
// in the ids holds the watermark back until GAP_WAIT has passed (a late commit inside it is still
// delivered, once), then it is given up. The cursor of each event is that state, so a client resuming
// with it gets every later entry exactly once.
import { and, asc, eq, gt, inArray, max } from 'drizzle-orm';
import type { Reader } from '../db/client.js';
import { one } from '../db/query.js';
import { type AuditEntryRow, auditEntries, auditEntryAccounts } from '../db/schema.js';

export interface FeedOptions {
  /** How often the table is read when nothing new was found (ms). */
  pollMs: number;
  /** How long a hole in the entry ids may still be filled by a late commit (ms). */
  gapWaitMs: number;
}

export const DEFAULT_FEED_OPTIONS: FeedOptions = { pollMs: 500, gapWaitMs: 30_000 };

/** How many entries one read returns at most. */
const READ_LIMIT = 500;
/** A cursor keeps at most this many delivered ids above its watermark (the watermark moves on beyond). */
const MAX_DELIVERED_ABOVE = 1000;

export interface FeedPosition {
  /** Every entry id up to here is handled. */
  watermark: number;
  /** Ids above the watermark already delivered. */
  delivered: number[];
}

const CURSOR_PREFIX = 'f1:';

export function encodeFeedCursor(position: FeedPosition): string {
  return Buffer.from(CURSOR_PREFIX + JSON.stringify([position.watermark, position.delivered])).toString('base64url');
}

/** The position a cursor carries; null when it is not one of this feed's. */
export function decodeFeedCursor(cursor: string): FeedPosition | null {
  try {
    const text = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!text.startsWith(CURSOR_PREFIX)) return null;
    const [watermark, delivered] = JSON.parse(text.slice(CURSOR_PREFIX.length)) as unknown[];
    if (!Number.isSafeInteger(watermark) || (watermark as number) < 0) return null;
    if (!Array.isArray(delivered) || !delivered.every((d) => Number.isSafeInteger(d) && d > (watermark as number))) {
      return null;
    }
    return { watermark: watermark as number, delivered: delivered as number[] };
  } catch {
    return null;
  }
}

/** Where a feed without a cursor starts: after every entry committed so far. */
export async function feedStart(db: Reader): Promise<FeedPosition> {
  const row = await one(db.select({ last: max(auditEntries.id) }).from(auditEntries));
  return { watermark: row?.last ?? 0, delivered: [] };
}

/**
 * The tail's state (pure, so that its rules are tested on their own): what reads of committed entries
 * above the watermark mean for delivery and for the watermark.
 */
export class FeedTail {
  watermark: number;
  /** Ids above the watermark seen committed (delivered, or not the account's). */
  private readonly handled = new Set<number>();
  /** Ids above the watermark delivered (what a cursor carries). */
  private readonly delivered = new Set<number>();
  /** When each hole above the watermark was first seen (ms). */
  private readonly holesSince = new Map<number, number>();
  /** The highest id seen committed (or the watermark). */
  highest: number;

  constructor(position: FeedPosition) {
    this.watermark = position.watermark;
    for (const id of position.delivered) {
      this.delivered.add(id);
      this.handled.add(id);
    }
    this.highest = Math.max(position.watermark, ...position.delivered);
  }

  /** Ids between the watermark and the highest id seen that are not (yet) committed. */
  holes(): number[] {
    const out: number[] = [];
    for (let id = this.watermark + 1; id < this.highest; id += 1) if (!this.handled.has(id)) out.push(id);
    return out;
  }

  /**
   * Takes committed entries (any ids, in any order; `mine`: shown in the account's log). Returns those to
   * deliver now, in id order, each once, each with the position a client holds once it has it (so a
   * client that stops after one of them resumes with the next). The watermark moves over every id
   * handled, and over holes older than `gapWaitMs`.
   */
  take<T extends { id: number; mine: boolean }>(
    committed: readonly T[],
    nowMs: number,
    gapWaitMs: number,
  ): { entry: T; position: FeedPosition }[] {
    const fresh: T[] = [];
    for (const e of [...committed].sort((a, b) => a.id - b.id)) {
      if (e.id <= this.watermark || this.handled.has(e.id)) continue;
      this.handled.add(e.id);
      this.highest = Math.max(this.highest, e.id);
      if (e.mine) fresh.push(e);
    }
    const out: { entry: T; position: FeedPosition }[] = [];
    fresh.forEach((e, i) => {
      this.delivered.add(e.id);
      // Not past the next entry still to deliver: a position must not claim what the client lacks.
      this.advance(nowMs, gapWaitMs, (fresh[i + 1]?.id ?? Number.POSITIVE_INFINITY) - 1);
      out.push({ entry: e, position: this.position() });
    });
    if (fresh.length === 0) this.advance(nowMs, gapWaitMs, Number.POSITIVE_INFINITY);
    return out;
  }

  private advance(nowMs: number, gapWaitMs: number, limit: number) {
    let id = this.watermark + 1;
    for (; id <= Math.min(this.highest, limit); id += 1) {
      if (this.handled.has(id)) continue;
      const since = this.holesSince.get(id) ?? nowMs;
      this.holesSince.set(id, since);
      if (nowMs - since < gapWaitMs) break;
    }
    this.moveTo(id - 1);
    // A cursor stays small: past MAX_DELIVERED_ABOVE, the oldest holes are given up early.
    while (this.delivered.size > MAX_DELIVERED_ABOVE) this.moveTo(Math.min(...this.delivered));
  }

  private moveTo(watermark: number) {
    if (watermark <= this.watermark) return;
    this.watermark = watermark;
    for (const set of [this.handled, this.delivered]) for (const id of set) if (id <= watermark) set.delete(id);
    for (const id of this.holesSince.keys()) if (id <= watermark) this.holesSince.delete(id);
  }

  position(): FeedPosition {
    return { watermark: this.watermark, delivered: [...this.delivered].sort((a, b) => a - b) };
  }
}

export interface FeedEvent {
  entry: AuditEntryRow;
  /** Resume after this event with it (`after`). */
  cursor: string;
}

/** Committed entries — above `highest`, or among `holes` — each saying whether the account's log shows it. */
async function committedEntries(db: Reader, accountId: string, where: { above: number } | { ids: number[] }) {
  const rows = await db
    .select({ entry: auditEntries, shownTo: auditEntryAccounts.accountId })
    .from(auditEntries)
    .leftJoin(
      auditEntryAccounts,
      and(eq(auditEntryAccounts.entryId, auditEntries.id), eq(auditEntryAccounts.accountId, accountId)),
    )
    .where('above' in where ? gt(auditEntries.id, where.above) : inArray(auditEntries.id, where.ids))
    .orderBy(asc(auditEntries.id))
    .limit(READ_LIMIT);
  return rows.map((r) => ({ id: r.entry.id, mine: r.shownTo !== null, entry: r.entry }));
}

/**
 * HIS-7: the account's audit entries committed from `position` on, as they come, until `signal` aborts.
 * `stillAllowed` is asked before every read (the subscriber may lose the right while listening).
 */
export async function* tailAuditLog(
  db: Reader,
  accountId: string,
  position: FeedPosition,
  options: FeedOptions,
  stillAllowed: () => Promise<void>,
  signal: AbortSignal,
  clock: () => Date = () => new Date(),
): AsyncGenerator<FeedEvent> {
  const tail = new FeedTail(position);
  while (!signal.aborted) {
    await stillAllowed();
    const holes = tail.holes().slice(0, READ_LIMIT);
    const late = holes.length > 0 ? await committedEntries(db, accountId, { ids: holes }) : [];
    const fresh = await committedEntries(db, accountId, { above: tail.highest });
    const ready = tail.take([...late, ...fresh], clock().getTime(), options.gapWaitMs);
    for (const { entry, position: at } of ready) {
      yield { entry: entry.entry, cursor: encodeFeedCursor(at) };
    }
    // A full read: more are waiting — read on at once; otherwise wait for the next poll (or the end).
    if (fresh.length === READ_LIMIT) continue;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.pollMs);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}
