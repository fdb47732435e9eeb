/** The log of every Bot API call the bot made, with waiting helpers for tests. */
import type { EmulatorCall, WaitOptions } from './types.ts';

/** Matches a call; `null` as method matches every method. */
export type CallPredicate = (call: EmulatorCall) => boolean;

interface Watcher {
  method: string | null;
  since: number;
  predicate: CallPredicate | undefined;
  resolve: (call: EmulatorCall) => void;
}

export class CallLog {
  readonly calls: EmulatorCall[] = [];
  private readonly watchers = new Set<Watcher>();

  /** Appends a finished call and wakes the tests waiting for it. */
  record(call: Omit<EmulatorCall, 'seq'>): EmulatorCall {
    const recorded: EmulatorCall = { seq: this.calls.length, ...call };
    this.calls.push(recorded);
    for (const watcher of [...this.watchers]) {
      if (matches(watcher, recorded)) {
        this.watchers.delete(watcher);
        watcher.resolve(recorded);
      }
    }
    return recorded;
  }

  mark(): number {
    return this.calls.length;
  }

  /** The first call to `method` (any method if null) at or after `since` that satisfies `predicate`, answered ok or not. */
  waitFor(method: string | null, predicate: CallPredicate | undefined, options: WaitOptions = {}): Promise<EmulatorCall> {
    const since = options.since ?? this.mark();
    const timeoutMs = options.timeoutMs ?? 5000;
    const watcher: Omit<Watcher, 'resolve'> = { method, since, predicate };
    const found = this.calls.find((c) => matches(watcher, c));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const entry: Watcher = {
        ...watcher,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.watchers.delete(entry);
        const recent = this.calls
          .slice(since)
          .slice(-10)
          .map((c) => `#${c.seq} ${c.method} ${c.ok ? 'ok' : `${c.error_code} ${c.description}`}`);
        reject(
          new Error(
            `no ${method ?? 'call'}${predicate ? ' matching the predicate' : ''} within ${timeoutMs} ms since #${since}; ` +
              `calls since then: ${recent.length ? recent.join('; ') : 'none'}`,
          ),
        );
      }, timeoutMs);
      this.watchers.add(entry);
    });
  }
}

function matches(watcher: Omit<Watcher, 'resolve'>, call: EmulatorCall): boolean {
  if (call.seq < watcher.since) return false;
  if (watcher.method !== null && call.method.toLowerCase() !== watcher.method.toLowerCase()) return false;
  return watcher.predicate ? watcher.predicate(call) : true;
}
