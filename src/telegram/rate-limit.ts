/** How many requests a key may make in a window. */
export interface RateLimit {
  requests: number;
  windowMs: number;
}

/** Telegram lets a bot post about 20 messages a minute in a group. */
export const CHAT_LIMIT: RateLimit = { requests: 20, windowMs: 60_000 };

/** What to do with a request: serve it, warn once that the limit is reached, or drop it silently. */
export type Verdict = 'serve' | 'warn' | 'drop';

/**
 * Fixed-window counters per key (user or chat). Over the limit, the first request of the window
 * gets 'warn' (one "slow down") and the rest 'drop': a flood costs the bot one message. Pure apart
 * from the clock it is given; old windows are forgotten as keys come back.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number; warned: boolean }>();

  constructor(private readonly limit: RateLimit, private readonly now: () => number = Date.now) {}

  check(key: string): Verdict {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.limit.windowMs) {
      window = { start: now, count: 0, warned: false };
      this.windows.set(key, window);
      if (this.windows.size > 10_000) this.forgetOld(now);
    }
    window.count += 1;
    if (window.count <= this.limit.requests) return 'serve';
    if (window.warned) return 'drop';
    window.warned = true;
    return 'warn';
  }

  private forgetOld(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.limit.windowMs) this.windows.delete(key);
  }
}
