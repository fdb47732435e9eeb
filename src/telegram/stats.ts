/** Answer times kept for the percentiles: recent enough to show today's bot, small enough to sort per /stats. */
export const RECENT_ANSWERS = 1000;

/** What /stats reports about the running bot. */
export interface StatsSnapshot {
  uptimeMs: number;
  updates: number;
  questions: number;
  nothingFound: number;
  rateLimited: number;
  /** Answer times of the last RECENT_ANSWERS questions, in ms; null before the first. */
  answerMs: { p50: number; p99: number; count: number } | null;
}

/**
 * Counters of the running bot for admins' /stats: updates handled, questions answered and how
 * many found nothing, requests refused by the rate limits, and the answer times of recent
 * questions. In memory, per process. Pure apart from the clock it is given.
 */
export class BotStats {
  private readonly startedAt: number;
  private updates = 0;
  private questions = 0;
  private nothingFound = 0;
  private rateLimited = 0;
  private readonly times: number[] = [];
  private next = 0;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  countUpdate(): void {
    this.updates += 1;
  }

  countRateLimited(): void {
    this.rateLimited += 1;
  }

  /** A question answered in `ms` (search, render, send); `found` false when nothing passed the gate. */
  countAnswer(ms: number, found: boolean): void {
    this.questions += 1;
    if (!found) this.nothingFound += 1;
    if (this.times.length < RECENT_ANSWERS) this.times.push(ms);
    else this.times[this.next] = ms;
    this.next = (this.next + 1) % RECENT_ANSWERS;
  }

  snapshot(): StatsSnapshot {
    const sorted = [...this.times].sort((a, b) => a - b);
    return {
      uptimeMs: this.now() - this.startedAt,
      updates: this.updates,
      questions: this.questions,
      nothingFound: this.nothingFound,
      rateLimited: this.rateLimited,
      answerMs: sorted.length ? { p50: percentile(sorted, 50), p99: percentile(sorted, 99), count: sorted.length } : null,
    };
  }
}

/** The nearest-rank percentile of ascending values: always one of the values, never an interpolation. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
