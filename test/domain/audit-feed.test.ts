// HIS-7: the tail's watermark (src/audit/feed.ts FeedTail), on its own: entries are delivered once each,
// in id order within a read, however their commits interleave; a hole in the ids (a transaction still
// open, or rolled back) holds the watermark until the gap wait is over, a late commit inside it is still
// delivered; and the position handed out with each event resumes exactly after it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFeedCursor, encodeFeedCursor, FeedTail } from '../../src/audit/feed.js';

const mine = (...ids: number[]) => ids.map((id) => ({ id, mine: true }));
const theirs = (...ids: number[]) => ids.map((id) => ({ id, mine: false }));
const ids = (taken: { entry: { id: number } }[]) => taken.map((t) => t.entry.id);
const WAIT = 1000;

describe('HIS-7 the audit feed tail', () => {
  it('HIS-7 delivers the account’s entries once each and moves over others’', () => {
    const tail = new FeedTail({ watermark: 0, delivered: [] });
    expect(ids(tail.take([...mine(1, 3), ...theirs(2)], 0, WAIT))).toEqual([1, 3]);
    expect(tail.watermark).toBe(3);
    expect(ids(tail.take(mine(1, 3), 0, WAIT))).toEqual([]);
  });

  it('HIS-7 a late commit inside the gap wait is delivered; at the wait itself the hole is given up', () => {
    const tail = new FeedTail({ watermark: 0, delivered: [] });
    // 2 is still uncommitted when 1 and 3 are read.
    expect(ids(tail.take(mine(1, 3), 0, WAIT))).toEqual([1, 3]);
    expect(tail.watermark).toBe(1);
    expect(tail.holes()).toEqual([2]);
    expect(tail.position()).toEqual({ watermark: 1, delivered: [3] });
    // One millisecond before the wait is over, 2 commits: delivered, and the watermark moves past 3.
    expect(ids(tail.take(mine(2), WAIT - 1, WAIT))).toEqual([2]);
    expect(tail.position()).toEqual({ watermark: 3, delivered: [] });
    // Another hole (5) never fills: held until the wait is over, exactly.
    tail.take(mine(4, 6), 2000, WAIT);
    expect(tail.watermark).toBe(4);
    tail.take([], 2000 + WAIT - 1, WAIT);
    expect(tail.watermark).toBe(4);
    tail.take([], 2000 + WAIT, WAIT);
    expect(tail.watermark).toBe(6);
  });

  it('HIS-7 each event’s position covers it and nothing after it', () => {
    const tail = new FeedTail({ watermark: 0, delivered: [] });
    const taken = tail.take(mine(1, 2, 3), 0, WAIT);
    expect(taken.map((t) => t.position)).toEqual([
      { watermark: 1, delivered: [] },
      { watermark: 2, delivered: [] },
      { watermark: 3, delivered: [] },
    ]);
  });

  it('HIS-7 resuming from any event’s cursor delivers every later entry exactly once (property)', () => {
    fc.assert(
      fc.property(
        // Commit order of ids 1..n (a permutation), which are the account's, and where the client stops.
        fc.integer({ min: 1, max: 12 }).chain((n) =>
          fc.record({
            order: fc.shuffledSubarray(
              Array.from({ length: n }, (_, i) => i + 1),
              { minLength: n, maxLength: n },
            ),
            isMine: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
            readsEvery: fc.integer({ min: 1, max: 4 }),
            stopAfter: fc.nat(),
          }),
        ),
        ({ order, isMine, readsEvery, stopAfter }) => {
          const entry = (id: number) => ({ id, mine: isMine[id - 1] as boolean });
          const minePlanned = order.filter((id) => isMine[id - 1]).sort((a, b) => a - b);
          // First client: reads the committed entries every `readsEvery` commits, stops after some event.
          const first = new FeedTail({ watermark: 0, delivered: [] });
          const got: number[] = [];
          let cursor = encodeFeedCursor(first.position());
          let committed: number[] = [];
          let stopped = false;
          for (let i = 0; i < order.length && !stopped; i += 1) {
            committed.push(order[i] as number);
            if ((i + 1) % readsEvery !== 0 && i !== order.length - 1) continue;
            for (const t of first.take(committed.map(entry), 0, 1e9)) {
              got.push(t.entry.id);
              cursor = encodeFeedCursor(t.position);
              if (got.length > stopAfter % (minePlanned.length + 1)) {
                stopped = true;
                break;
              }
            }
          }
          // Second client resumes with the last cursor received, once everything has committed.
          committed = order;
          const position = decodeFeedCursor(cursor);
          expect(position).not.toBeNull();
          const second = new FeedTail(position as NonNullable<typeof position>);
          for (const t of second.take(committed.map(entry), 0, 1e9)) got.push(t.entry.id);
          expect([...got].sort((a, b) => a - b)).toEqual(minePlanned);
          expect(new Set(got).size).toBe(got.length);
        },
      ),
    );
  });

  it('HIS-7 a cursor that is not the feed’s is refused', () => {
    expect(decodeFeedCursor('nonsense')).toBeNull();
    expect(decodeFeedCursor(Buffer.from('f1:[3,[2]]').toString('base64url'))).toBeNull();
    expect(decodeFeedCursor(Buffer.from('f1:[-1,[]]').toString('base64url'))).toBeNull();
    expect(decodeFeedCursor(encodeFeedCursor({ watermark: 3, delivered: [5] }))).toEqual({
      watermark: 3,
      delivered: [5],
    });
  });
});
