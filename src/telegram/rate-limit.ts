/** How many requests a key may make in a window. */
export interface RateLimit {
  requests: number;
  windowMs: number;
}

/** Telegram lets a bot post about 20 messages a minute in a group. */
export const CHAT_LIMIT: RateLimit = { requests: 20, windowMs: 60_000 };

/** What to do with a request: serve it, warn once that the limit is reached, or drop it silently. */
export type Verdict = 'serve' | 'warn' | 'drop';

/** A key's window that refused requests, once it is over: how many it refused ('warn' included). */
export interface EndedFlood<Key> {
  key: Key;
  refused: number;
}

interface Window {
  start: number;
  count: number;
  warned: boolean;
}

/**
 * Fixed-window counters per key (user or chat). Over the limit, the first request of the window
 * gets 'warn' (one "slow down") and the rest 'drop': a flood costs the bot one message. It also
 * keeps, per flood, how many requests were refused, so the caller can log a flood as one line at
 * 'warn' and one count when the window is over (`endedFloods`) instead of a line per request.
 * Pure apart from the clock it is given; old windows are forgotten as keys come back.
 */
export class RateLimiter<Key = string> {
  private readonly windows = new Map<Key, Window>();
  /** Windows that refused requests and have not been reported as over. */
  private readonly floods = new Map<Key, Window>();
  /** Floods over (their key came back in a new window) but not handed out yet. */
  private readonly ended: EndedFlood<Key>[] = [];

  constructor(private readonly limit: RateLimit, private readonly now: () => number = Date.now) {}

  check(key: Key): Verdict {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.limit.windowMs) {
      // A flood of this key is over now, even if its window was forgotten meanwhile.
      const flood = this.floods.get(key);
      if (flood) this.endFlood(key, flood);
      window = { start: now, count: 0, warned: false };
      this.windows.set(key, window);
      if (this.windows.size > 10_000) this.forgetOld(now);
    }
    window.count += 1;
    if (window.count <= this.limit.requests) return 'serve';
    if (window.warned) return 'drop';
    window.warned = true;
    this.floods.set(key, window);
    return 'warn';
  }

  /**
   * The floods whose window is over, each handed out once, with how many requests it refused.
   * Cheap to call on every request: it looks only at the windows that refused something.
   */
  endedFloods(): EndedFlood<Key>[] {
    const now = this.now();
    for (const [key, window] of this.floods) if (now - window.start >= this.limit.windowMs) this.endFlood(key, window);
    return this.ended.splice(0);
  }

  private endFlood(key: Key, window: Window): void {
    this.floods.delete(key);
    this.ended.push({ key, refused: window.count - this.limit.requests });
  }

  private forgetOld(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.limit.windowMs) this.windows.delete(key);
  }
}
