/** The bot's update queue: monotonically numbered updates, offset confirmation and long polling. */
import type { Update } from 'grammy/types';
import { ApiError, POLL_CONFLICT } from './errors.ts';
import { clone } from './store.ts';

/** Update types Telegram leaves out unless `allowed_updates` names them. */
export const OPT_IN_UPDATE_TYPES = ['chat_member', 'message_reaction', 'message_reaction_count'];

/** How long a superseded long poll waits before its 409, for its client's disconnect to arrive first. */
const CONFLICT_GRACE_MS = 50;

interface PendingPoll {
  limit: number;
  finish: (result: Update[] | ApiError) => void;
}

export class UpdateQueue {
  private queue: Update[] = [];
  private lastId = 0;
  private confirmed = 0;
  /** Updates delivered without their update_id (`injectUpdate(…, { withoutUpdateId })`). */
  private readonly withoutId = new Set<number>();
  private allowed: string[] | undefined;
  private poll: PendingPoll | undefined;
  private readonly confirmWatchers = new Set<() => void>();
  /** Called after an update is queued (the webhook sender listens). */
  onEnqueue: (() => void) | undefined;

  /** The highest update_id the bot has confirmed with `offset` (or that a webhook accepted); 0 if none. */
  get confirmedUpdateId(): number {
    return this.confirmed;
  }

  get lastUpdateId(): number {
    return this.lastId;
  }

  /** The last `allowed_updates` the bot asked for; undefined means Telegram's default. */
  get allowedUpdates(): string[] | undefined {
    return this.allowed;
  }

  set allowedUpdates(types: string[] | undefined) {
    this.allowed = types && types.length > 0 ? [...types] : undefined;
  }

  isAllowed(type: string): boolean {
    return this.allowed ? this.allowed.includes(type) : !OPT_IN_UPDATE_TYPES.includes(type);
  }

  /** Queues an update (a copy of the payload) with the next update_id and wakes a waiting long poll. */
  enqueue(type: string, payload: unknown, updateId?: number, options: { withoutUpdateId?: boolean } = {}): Update {
    if (updateId !== undefined && updateId <= this.lastId) {
      throw new Error(`update_id ${updateId} is not above the last one (${this.lastId}); Telegram's ids only grow`);
    }
    this.lastId = updateId ?? this.lastId + 1;
    const update = { update_id: this.lastId, [type]: clone(payload) } as unknown as Update;
    if (options.withoutUpdateId) this.withoutId.add(this.lastId);
    this.queue.push(update);
    if (this.poll) {
      const poll = this.poll;
      this.poll = undefined;
      poll.finish(this.take(poll.limit));
    }
    this.onEnqueue?.();
    return clone(update);
  }

  /** Unconfirmed updates, oldest first (copies). */
  pending(): Update[] {
    return this.queue.map(clone);
  }

  /** Confirms every update below `offset`; a negative offset keeps only the last `-offset` updates. */
  applyOffset(offset: number): void {
    if (offset < 0) {
      const keep = this.queue.slice(offset);
      const dropped = this.queue.slice(0, this.queue.length + offset);
      this.queue = keep;
      const last = dropped.at(-1);
      if (last) this.markConfirmed(last.update_id);
      return;
    }
    if (offset <= 0) return;
    this.queue = this.queue.filter((u) => u.update_id >= offset);
    this.markConfirmed(Math.min(offset - 1, this.lastId));
  }

  /** Drops every pending update (`drop_pending_updates`). */
  dropAll(): void {
    this.queue = [];
    this.markConfirmed(this.lastId);
  }

  /** Marks one update as accepted by a webhook. */
  confirm(updateId: number): void {
    this.queue = this.queue.filter((u) => u.update_id !== updateId);
    this.markConfirmed(updateId);
  }

  /** Answers a `getUpdates` call: at once if updates are ready or `timeoutSeconds` is 0, else when one arrives or the timeout ends. */
  longPoll(limit: number, timeoutSeconds: number, signal: AbortSignal): Promise<Update[]> {
    if (this.poll) {
      const previous = this.poll;
      this.poll = undefined;
      // A moment's grace: a bot that abandoned this poll and asks again at once (grammY's bot.stop())
      // has usually closed the connection already, and the close is on its way. Telegram answers
      // 409 to a connection nobody listens on; the emulator should not report that as the bot's error.
      setTimeout(() => previous.finish(new ApiError(409, POLL_CONFLICT)), CONFLICT_GRACE_MS);
    }
    const ready = this.take(limit);
    if (ready.length > 0 || timeoutSeconds <= 0) return Promise.resolve(ready);
    return new Promise<Update[]>((resolve, reject) => {
      let done = false;
      const poll: PendingPoll = {
        limit,
        finish: (result) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          if (result instanceof ApiError) reject(result);
          else resolve(result);
        },
      };
      const timer = setTimeout(() => {
        if (this.poll === poll) this.poll = undefined;
        poll.finish([]);
      }, timeoutSeconds * 1000);
      const onAbort = (): void => {
        if (this.poll === poll) this.poll = undefined;
        poll.finish([]);
      };
      signal.addEventListener('abort', onAbort);
      this.poll = poll;
    });
  }

  /** Ends a waiting long poll: with an error (a conflict) or, by default, with no updates. */
  endPoll(error?: ApiError): void {
    const poll = this.poll;
    this.poll = undefined;
    poll?.finish(error ?? []);
  }

  get hasWaitingPoll(): boolean {
    return this.poll !== undefined;
  }

  /** Resolves once the bot has confirmed `updateId`. */
  waitForConfirmation(updateId: number, timeoutMs: number): Promise<void> {
    if (this.confirmed >= updateId) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.confirmed < updateId) return;
        clearTimeout(timer);
        this.confirmWatchers.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.confirmWatchers.delete(check);
        reject(new Error(`update ${updateId} was not confirmed within ${timeoutMs} ms (confirmed: ${this.confirmed})`));
      }, timeoutMs);
      this.confirmWatchers.add(check);
    });
  }

  private take(limit: number): Update[] {
    return this.queue.slice(0, limit).map((update) => {
      const copy = clone(update);
      if (this.withoutId.has(update.update_id)) delete (copy as Partial<Update>).update_id;
      return copy;
    });
  }

  /**
   * Starts the update ids again from `next` (default 1), as Telegram does for a new token or, at
   * random, after a week without updates. Unconfirmed updates are dropped with the old sequence.
   */
  restartIds(next = 1): void {
    this.queue = [];
    this.withoutId.clear();
    this.lastId = next - 1;
    this.confirmed = next - 1;
  }

  private markConfirmed(updateId: number): void {
    if (updateId <= this.confirmed) return;
    this.confirmed = updateId;
    for (const watcher of [...this.confirmWatchers]) watcher();
  }
}
