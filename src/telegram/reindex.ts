import type { Logger } from '../logger.ts';
import type { IndexHolder, LoadedIndex } from './context.ts';

/** How a reindex ended: the new index (already swapped in), or why the previous one stays. */
export type ReindexOutcome =
  | { ok: true; loaded: LoadedIndex; before: LoadedIndex }
  | { ok: false; reason: string; before: LoadedIndex };

/** A change to the data folder made just before a reindex (an uploaded file put in place). */
export interface FolderChange<T> {
  result: T;
  /** False when the folder did not change (the same file was already there): no reindex needed for it. */
  changed: boolean;
}

interface Job {
  change?: () => Promise<FolderChange<unknown>>;
  resolve: (value: { result: unknown; outcome: ReindexOutcome | null }) => void;
  reject: (error: unknown) => void;
}

/**
 * The one way the bot re-reads its data folder (/reload and uploads): one reindex at a time, on
 * the worker thread `reload` uses, swapping `holder.current` only when it succeeded. Changes to the
 * folder are made between reindexes, never while one reads it, and changes queued during a
 * reindex share the next one.
 */
export class Reindexer {
  private readonly queue: Job[] = [];
  private draining = false;

  constructor(
    private readonly holder: IndexHolder,
    private readonly reload: () => Promise<LoadedIndex>,
    private readonly logger: Logger,
  ) {}

  /** A reindex is running or queued. */
  get busy(): boolean {
    return this.draining;
  }

  /**
   * Makes `change` (if any) once no reindex is running, then reindexes unless nothing changed;
   * resolves with the change's result and the reindex outcome (null when none was needed).
   * Rejects only when `change` throws; the other queued changes go ahead.
   */
  run<T = undefined>(change?: () => Promise<FolderChange<T>>): Promise<{ result: T; outcome: ReindexOutcome | null }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ change, resolve: resolve as Job['resolve'], reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const jobs = this.queue.splice(0);
        const done: { job: Job; result: unknown }[] = [];
        let changed = false;
        for (const job of jobs) {
          try {
            const made = job.change ? await job.change() : { result: undefined, changed: true };
            changed ||= made.changed;
            done.push({ job, result: made.result });
          } catch (error) {
            job.reject(error);
          }
        }
        const outcome = changed ? await this.reindex() : null;
        for (const { job, result } of done) job.resolve({ result, outcome });
      }
    } finally {
      this.draining = false;
    }
  }

  private async reindex(): Promise<ReindexOutcome> {
    const before = this.holder.current;
    try {
      const loaded = await this.reload();
      this.holder.current = loaded;
      this.logger.info({ documents: loaded.corpus.documents.length, passages: loaded.corpus.passages.length, ms: Math.round(loaded.loadMs) }, 'index reloaded');
      return { ok: true, loaded, before };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ error: reason }, 'reload failed; keeping the previous index');
      return { ok: false, reason, before };
    }
  }
}
