/** First wait after a failed Telegram call (connection refused or dropped, 5xx); it doubles with each failure in a row… */
export const RETRY_FIRST_MS = 250;
/** …up to this (grammY's own fixed wait for getUpdates): after an outage, calls go through again within it. */
export const RETRY_MAX_MS = 3_000;

/**
 * How long to wait before the next attempt after `failures` failed ones in a row. Short and capped,
 * unlike autoRetry's back-off for network errors (3, 6, 12, 24 s… up to an hour), under which a
 * 25 s outage cost 45 s: the bot is back within RETRY_MAX_MS of Telegram, at no more than one call
 * every 3 s per waiting update while it is away. Pure.
 */
export function backoffMs(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(Math.max(failures, 0), 16));
}
