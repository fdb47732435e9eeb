/** What a secret is replaced with in everything the bot writes. */
export const REDACTED = '[redacted]';

/**
 * Anything shaped like a bot token (digits, a colon, 30 or more letters, digits, - or _): a token
 * pasted into the wrong variable is hidden even when BOT_TOKEN is unset or differs.
 */
const TOKEN_SHAPED = /\d+:[A-Za-z0-9_-]{30,}/g;

/**
 * Replaces every secret (8 characters or longer) in text, and anything shaped like a bot token,
 * with "[redacted]". For a token, its part after the colon is the secret (the bot id before it is
 * public), so that part is hidden on its own too. Every path that writes text a user or operator
 * may see goes through it: logs, configuration and corpus errors, start-up failures.
 */
export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text.replace(TOKEN_SHAPED, REDACTED);
  for (const secret of secrets) {
    const whole = secret?.trim();
    if (!whole) continue;
    const afterColon = whole.slice(whole.indexOf(':') + 1);
    for (const part of new Set([whole, afterColon])) {
      if (part.length >= 8) out = out.split(part).join(REDACTED);
    }
  }
  return out;
}
