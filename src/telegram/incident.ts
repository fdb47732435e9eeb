/**
 * A run of failed Bot API calls (429, 5xx, network errors, time-outs), logged once when it starts
 * and once when Telegram answers normally again, however many retries and chats it spans: a global
 * flood limit must not turn into a log line per attempt. Pure apart from the clock it is given.
 */
export class Incident {
  private current: { since: number; failures: number } | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a failed call; true when it starts an incident (the one to log). */
  fail(): boolean {
    if (this.current) {
      this.current.failures += 1;
      return false;
    }
    this.current = { since: this.now(), failures: 1 };
    return true;
  }

  /** Records a call Telegram answered normally; the incident it ends, if one was going on. */
  succeed(): { failures: number; ms: number } | null {
    const ended = this.current;
    this.current = null;
    return ended && { failures: ended.failures, ms: this.now() - ended.since };
  }
}
