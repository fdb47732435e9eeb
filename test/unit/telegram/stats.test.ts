import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../src/telegram/render/stats.ts';
import { BotStats, percentile, RECENT_ANSWERS } from '../../../src/telegram/stats.ts';

describe('percentile', () => {
  it('is the nearest-rank value, never an interpolation', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3], 50)).toBe(2);
  });
});

describe('BotStats', () => {
  it('counts questions and what found nothing, and reports uptime from its clock', () => {
    let now = 1_000;
    const stats = new BotStats(() => now);
    expect(stats.snapshot()).toEqual({ uptimeMs: 0, updates: 0, questions: 0, nothingFound: 0, rateLimited: 0, answerMs: null });
    stats.countUpdate();
    stats.countRateLimited();
    stats.countAnswer(10, true);
    stats.countAnswer(30, false);
    now = 61_000;
    expect(stats.snapshot()).toEqual({ uptimeMs: 60_000, updates: 1, questions: 2, nothingFound: 1, rateLimited: 1, answerMs: { p50: 10, p99: 30, count: 2 } });
  });

  it('keeps the times of recent answers only', () => {
    const stats = new BotStats();
    for (let i = 0; i < RECENT_ANSWERS; i++) stats.countAnswer(1000, true);
    for (let i = 0; i < RECENT_ANSWERS; i++) stats.countAnswer(1, true);
    expect(stats.snapshot()).toMatchObject({ questions: 2 * RECENT_ANSWERS, answerMs: { p50: 1, p99: 1, count: RECENT_ANSWERS } });
  });
});

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(0, 'en')).toBe('0 s');
    expect(formatDuration(59_999, 'en')).toBe('59 s');
    expect(formatDuration((2 * 86_400 + 3 * 3600 + 7) * 1000, 'en')).toBe('2 d 3 h');
    expect(formatDuration((3600 + 5 * 60) * 1000, 'zh')).toBe('1小时5分钟');
  });
});
