import { describe, expect, it } from 'vitest';
import { UnconfirmedUpdates } from '../../../src/telegram/unconfirmed-updates.ts';

const update = (id: number) => ({ update_id: id, message: { message_id: id, date: 0, chat: { id: 1, type: 'private' } } });
const ids = (updates: Array<{ update_id: number }>) => updates.map((u) => u.update_id);

describe('UnconfirmedUpdates', () => {
  it('moves the offset only past updates that are handled, and every one before them', () => {
    const window = new UnconfirmedUpdates();
    expect(window.offset).toBe(0);
    expect(ids(window.admit([update(10), update(11), update(12)], 0).fresh)).toEqual([10, 11, 12]);
    expect(window.offset).toBe(10);
    window.finish(11);
    window.finish(12);
    // 10 is still in hand (its chat waits out a flood limit): nothing may be confirmed yet
    expect(window.offset).toBe(10);
    expect(window.pending).toBe(1);
    window.finish(10);
    expect(window.offset).toBe(13);
    expect(window.pending).toBe(0);
  });

  it('recognises updates Telegram sends again because they are not confirmed yet', () => {
    const window = new UnconfirmedUpdates();
    window.admit([update(10), update(11)], 0);
    window.finish(11);
    window.confirm(10);
    const again = window.admit([update(10), update(11), update(12)], 10);
    expect(ids(again.fresh)).toEqual([12]);
    window.finish(10);
    window.finish(12);
    expect(window.offset).toBe(13);
    window.confirm(13);
    expect(window.offset).toBe(13);
    expect(ids(window.admit([update(13)], 13).fresh)).toEqual([13]);
  });

  it('skips updates without a usable update_id and moves the offset past those at the end', () => {
    const window = new UnconfirmedUpdates();
    window.admit([update(4)], 0);
    window.finish(4);
    window.confirm(5);
    const batch = window.admit([{ message: {} }, update(6), null, { update_id: 'x' }, { update_id: 1.5 }], 5);
    expect(ids(batch.fresh)).toEqual([6]);
    expect(batch.malformed).toHaveLength(4);
    window.finish(6);
    // the three after 6 took at least ids 7, 8 and 9: asking from 10 confirms them
    expect(window.offset).toBe(10);
  });

  it('moves past a batch of nothing but malformed updates, from the offset asked for', () => {
    const window = new UnconfirmedUpdates();
    window.confirm(21);
    const batch = window.admit([{ message: {} }], 21);
    expect(batch.fresh).toEqual([]);
    expect(window.offset).toBe(22);
    // before any offset is known there is nothing to count from: the poller waits and asks again
    const first = new UnconfirmedUpdates();
    first.admit([{ message: {} }], 0);
    expect(first.offset).toBe(0);
  });

  it('follows an id sequence that started again below the offset', () => {
    const window = new UnconfirmedUpdates();
    window.admit([update(500)], 0);
    window.finish(500);
    window.confirm(501);
    const batch = window.admit([update(1), update(2)], 501);
    expect(batch.restarted).toBe(true);
    expect(ids(batch.fresh)).toEqual([1, 2]);
    expect(window.offset).toBe(1);
    window.finish(1);
    window.finish(2);
    expect(window.offset).toBe(3);
  });
});
