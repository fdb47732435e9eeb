import type { Update } from 'grammy/types';

/** What one getUpdates answer holds, sorted by what the poller must do with it. */
export interface AdmittedBatch {
  /** Updates not seen before: to handle. */
  fresh: Update[];
  /** Entries without a usable update_id (or not objects): skipped, never handed to the bot. */
  malformed: unknown[];
  /** Update ids came back below the offset asked for: Telegram started its sequence again. */
  restarted: boolean;
}

/**
 * The updates fetched from Telegram and not yet confirmed to it, and the offset that confirms
 * exactly those handled so far. Telegram confirms every update below the `offset` of a getUpdates
 * call, so the offset may only pass an update once it and every earlier one is handled; until then
 * Telegram keeps sending the finished ones again, and this recognises them. Pure: the poller does
 * the I/O.
 */
export class UnconfirmedUpdates {
  /** id → handled, for each update fetched and not yet confirmed. */
  private readonly updates = new Map<number, boolean>();
  /** The offset of the last getUpdates call that Telegram answered: everything below it is confirmed. */
  private confirmedBelow = 0;

  /**
   * The offset for the next getUpdates call: the lowest update still being handled, or past the
   * last one fetched when all are handled.
   */
  get offset(): number {
    let lowestPending = Infinity;
    let highest = -1;
    for (const [id, handled] of this.updates) {
      if (!handled && id < lowestPending) lowestPending = id;
      if (id > highest) highest = id;
    }
    if (lowestPending !== Infinity) return lowestPending;
    return highest >= 0 ? highest + 1 : this.confirmedBelow;
  }

  /** How many fetched updates are still being handled. */
  get pending(): number {
    let count = 0;
    for (const handled of this.updates.values()) if (!handled) count += 1;
    return count;
  }

  /** Telegram answered a getUpdates call with `offset`: it has confirmed every update below it. */
  confirm(offset: number): void {
    this.confirmedBelow = offset;
    for (const id of this.updates.keys()) if (id < offset) this.updates.delete(id);
  }

  /**
   * Sorts the answer to a getUpdates call made with `offset`. Updates already in hand (sent again
   * because not yet confirmed) are left out; malformed entries are skipped, and those after the
   * last good update are given the ids they must at least have, so the offset moves past them
   * instead of asking for them again and again.
   */
  admit(batch: readonly unknown[], offset: number): AdmittedBatch {
    const fresh: Update[] = [];
    const malformed: unknown[] = [];
    let restarted = false;
    // The last id known to be taken: each malformed entry after it takes at least the next one.
    let lastId = offset > 0 ? offset - 1 : null;
    let trailingMalformed = 0;
    for (const update of batch) {
      if (!hasUpdateId(update)) {
        malformed.push(update);
        trailingMalformed += 1;
        continue;
      }
      const id = update.update_id;
      if (offset > 0 && id < offset && !restarted) {
        // Telegram never sends an update below the offset asked for, unless its ids started again:
        // the old sequence's ids say nothing about the new one's.
        restarted = true;
        this.updates.clear();
      }
      lastId = id;
      trailingMalformed = 0;
      if (this.updates.has(id)) continue;
      this.updates.set(id, false);
      fresh.push(update);
    }
    if (lastId !== null) {
      for (let i = 1; i <= trailingMalformed; i++) if (!this.updates.has(lastId + i)) this.updates.set(lastId + i, true);
    }
    return { fresh, malformed, restarted };
  }

  /** Marks an update as handled (answered, or failed and apologised for). */
  finish(updateId: number): void {
    if (this.updates.has(updateId)) this.updates.set(updateId, true);
  }
}

/** Whether a getUpdates entry has the one thing the poller needs: a usable update_id. */
function hasUpdateId(update: unknown): update is Update {
  if (typeof update !== 'object' || update === null) return false;
  const id = (update as { update_id?: unknown }).update_id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0;
}
