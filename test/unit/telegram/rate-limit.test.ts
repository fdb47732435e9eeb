import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/telegram/rate-limit.ts';

describe('RateLimiter', () => {
  it('serves up to the limit, warns once, then drops until the window ends', () => {
    let now = 0;
    const limiter = new RateLimiter({ requests: 3, windowMs: 1000 }, () => now);
    expect([1, 2, 3, 4, 5, 6].map(() => limiter.check('user'))).toEqual(['serve', 'serve', 'serve', 'warn', 'drop', 'drop']);
    now = 1000;
    expect(limiter.check('user')).toBe('serve');
  });

  it('keeps every key apart: one flooding user does not limit another', () => {
    const limiter = new RateLimiter({ requests: 1, windowMs: 1000 }, () => 0);
    expect(limiter.check('a')).toBe('serve');
    expect(limiter.check('a')).toBe('warn');
    expect(limiter.check('b')).toBe('serve');
  });
});
