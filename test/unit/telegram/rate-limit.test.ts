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

describe('RateLimiter.endedFloods: a flood as one count, not a line per refused request', () => {
  it('hands out a flood once its window is over, with every refused request counted, and only once', () => {
    let now = 0;
    const limiter = new RateLimiter<number>({ requests: 3, windowMs: 1000 }, () => now);
    const verdicts = Array.from({ length: 1000 }, () => limiter.check(42));
    expect(verdicts.filter((v) => v === 'warn')).toHaveLength(1);
    expect(verdicts.filter((v) => v === 'drop')).toHaveLength(996);
    now = 999;
    expect(limiter.endedFloods()).toEqual([]); // the window is not over yet
    now = 1000;
    expect(limiter.endedFloods()).toEqual([{ key: 42, refused: 997 }]);
    expect(limiter.endedFloods()).toEqual([]);
  });

  it('reports nothing for a key that stayed within its limit', () => {
    let now = 0;
    const limiter = new RateLimiter({ requests: 3, windowMs: 1000 }, () => now);
    for (let i = 0; i < 3; i++) limiter.check('calm');
    now = 5000;
    expect(limiter.endedFloods()).toEqual([]);
  });

  it('ends a flood when its key comes back in a new window, before that window can flood again', () => {
    let now = 0;
    const limiter = new RateLimiter({ requests: 1, windowMs: 1000 }, () => now);
    for (let i = 0; i < 4; i++) limiter.check('a'); // serve, warn, drop, drop
    now = 1500;
    expect([1, 2, 3].map(() => limiter.check('a'))).toEqual(['serve', 'warn', 'drop']);
    expect(limiter.endedFloods()).toEqual([{ key: 'a', refused: 3 }]); // the first window; the second goes on
    now = 2500;
    expect(limiter.endedFloods()).toEqual([{ key: 'a', refused: 2 }]);
  });

  it('keeps the floods of different keys apart', () => {
    let now = 0;
    const limiter = new RateLimiter({ requests: 1, windowMs: 1000 }, () => now);
    for (let i = 0; i < 3; i++) limiter.check('a');
    now = 500;
    for (let i = 0; i < 6; i++) limiter.check('b');
    now = 1000;
    expect(limiter.endedFloods()).toEqual([{ key: 'a', refused: 2 }]);
    now = 1500;
    expect(limiter.endedFloods()).toEqual([{ key: 'b', refused: 5 }]);
  });

  it('still counts a flood whose window was forgotten to make room for other keys', () => {
    let now = 0;
    const limiter = new RateLimiter<number>({ requests: 1, windowMs: 1000 }, () => now);
    for (let i = 0; i < 3; i++) limiter.check(0);
    now = 1000;
    for (let key = 1; key <= 10_001; key++) limiter.check(key); // past 10,000 windows the ended ones are forgotten
    for (let i = 0; i < 3; i++) limiter.check(0);
    const floods = limiter.endedFloods();
    expect(floods).toEqual([{ key: 0, refused: 2 }]); // the first window's; the second is still going
  });
});
