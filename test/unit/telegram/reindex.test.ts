import { describe, expect, it } from 'vitest';
import type { Corpus } from '../../../src/corpus/load.ts';
import { createLogger } from '../../../src/logger.ts';
import type { SearchIndex } from '../../../src/search/search-index.ts';
import type { IndexHolder, LoadedIndex } from '../../../src/telegram/context.ts';
import { Reindexer } from '../../../src/telegram/reindex.ts';

const loaded = (n: number): LoadedIndex => ({
  corpus: { documents: [], passages: [], warnings: [], ignored: [], duplicates: n } as Corpus,
  index: {} as SearchIndex,
  loadedAt: new Date(0),
  loadMs: n,
});

/** A reload that waits until the test lets it finish, counting its runs. */
function controlledReload() {
  const pending: Array<(value: LoadedIndex | Error) => void> = [];
  let runs = 0;
  const reload = () =>
    new Promise<LoadedIndex>((resolve, reject) => {
      runs += 1;
      pending.push((value) => (value instanceof Error ? reject(value) : resolve(value)));
    });
  const settle = async (value: LoadedIndex | Error) => {
    while (pending.length === 0) await new Promise((r) => setImmediate(r));
    pending.shift()!(value);
  };
  return { reload, settle, runs: () => runs };
}

describe('Reindexer', () => {
  it('swaps the index in on success and keeps it on failure', async () => {
    const holder: IndexHolder = { current: loaded(0) };
    const { reload, settle } = controlledReload();
    const reindexer = new Reindexer(holder, reload, createLogger('silent'));
    const first = reindexer.run();
    expect(reindexer.busy).toBe(true);
    await settle(loaded(1));
    expect((await first).outcome).toMatchObject({ ok: true, before: { loadMs: 0 }, loaded: { loadMs: 1 } });
    expect(holder.current.loadMs).toBe(1);
    expect(reindexer.busy).toBe(false);
    const second = reindexer.run();
    await settle(new Error('no passages found'));
    expect((await second).outcome).toMatchObject({ ok: false, reason: 'no passages found' });
    expect(holder.current.loadMs).toBe(1);
  });

  it('makes queued changes after the running reindex, and lets them share the next one', async () => {
    const holder: IndexHolder = { current: loaded(0) };
    const { reload, settle, runs } = controlledReload();
    const reindexer = new Reindexer(holder, reload, createLogger('silent'));
    const events: string[] = [];
    const running = reindexer.run(async () => (events.push('a placed'), { result: 'a', changed: true }));
    await new Promise((r) => setImmediate(r));
    const b = reindexer.run(async () => (events.push('b placed'), { result: 'b', changed: true }));
    const c = reindexer
      .run(async () => {
        throw new Error('disk full');
      })
      .catch((error: unknown) => error);
    const d = reindexer.run(async () => (events.push('d unchanged'), { result: 'd', changed: false }));
    expect(events).toEqual(['a placed']); // nothing touches the folder while a reindex reads it
    await settle(loaded(1));
    await running;
    await settle(loaded(2));
    expect(await b).toMatchObject({ result: 'b', outcome: { ok: true, loaded: { loadMs: 2 } } });
    expect(await c).toMatchObject({ message: 'disk full' });
    expect(await d).toMatchObject({ result: 'd', outcome: { ok: true } });
    expect(events).toEqual(['a placed', 'b placed', 'd unchanged']);
    expect(runs()).toBe(2);
  });

  it('does not reindex when nothing changed', async () => {
    const { reload, runs } = controlledReload();
    const reindexer = new Reindexer({ current: loaded(0) }, reload, createLogger('silent'));
    expect(await reindexer.run(async () => ({ result: 1, changed: false }))).toEqual({ result: 1, outcome: null });
    expect(runs()).toBe(0);
  });
});
