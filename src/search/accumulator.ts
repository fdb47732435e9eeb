import type { Postings } from './postings.ts';

/** Query slots a match can be recorded in: 32 + 20 bits, so the two masks make an exact number key. */
export const MAX_SLOTS = 52;
const LOW_BITS = 32;
const HIGH_FACTOR = 2 ** LOW_BITS;

/**
 * Per-passage score sums and "which query terms matched" bit masks for one query at a time,
 * in buffers allocated once per index: scoring allocates nothing per posting, and only the
 * passages a query touched are visited afterwards.
 */
export class Accumulator {
  readonly scores: Float64Array;
  private readonly low: Uint32Array;
  private readonly high: Uint32Array;
  private readonly stamp: Uint32Array;
  /** Passages touched by the current query: touched[0 … count - 1]. */
  readonly touched: Uint32Array;
  count = 0;
  private generation = 0;

  constructor(
    private readonly postings: Postings,
  ) {
    const n = postings.documentCount;
    this.scores = new Float64Array(n);
    this.low = new Uint32Array(n);
    this.high = new Uint32Array(n);
    this.stamp = new Uint32Array(n);
    this.touched = new Uint32Array(n);
  }

  /** Starts a new query: forgets the previous one's sums in O(1). */
  reset(): void {
    this.count = 0;
    this.generation++;
    if (this.generation === 0xffffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
  }

  /**
   * Adds `weight` × each passage's weight for term `id`, and marks `slot` as matched there. With
   * `touchedOnly`, passages no earlier term reached are left out.
   */
  addTerm(id: number, weight: number, slot: number, touchedOnly = false): void {
    const { docs, weights, offsets } = this.postings;
    const { scores, stamp, touched, generation } = this;
    const end = offsets[id + 1]!;
    const mask = slot < LOW_BITS ? this.low : this.high;
    const bit = 1 << slot % LOW_BITS;
    for (let i = offsets[id]!; i < end; i++) {
      const doc = docs[i]!;
      if (stamp[doc] !== generation) {
        if (touchedOnly) continue;
        stamp[doc] = generation;
        scores[doc] = 0;
        this.low[doc] = 0;
        this.high[doc] = 0;
        touched[this.count++] = doc;
      }
      scores[doc]! += weight * weights[i]!;
      mask[doc]! |= bit;
    }
  }

  /**
   * Adds the passages that have every one of `ids` (a phrase), each term's weight × `weight`,
   * marking each term's slot. Walks the rarest term's postings and looks the others up.
   */
  addAll(ids: readonly number[], slots: readonly number[], weight: number, touchedOnly = false): void {
    if (ids.length === 1) return this.addTerm(ids[0]!, weight, slots[0]!, touchedOnly);
    const order = ids.map((_, i) => i).sort((a, b) => this.postings.dfOf(ids[a]!) - this.postings.dfOf(ids[b]!));
    const rarest = ids[order[0]!]!;
    const { docs, weights, offsets } = this.postings;
    const cursors = ids.map((id) => offsets[id]!);
    const end = offsets[rarest + 1]!;
    for (let i = offsets[rarest]!; i < end; i++) {
      const doc = docs[i]!;
      if (touchedOnly && this.stamp[doc] !== this.generation) continue;
      let sum = weights[i]!;
      let all = true;
      for (let k = 1; k < order.length && all; k++) {
        const j = order[k]!;
        const at = this.postings.find(ids[j]!, doc, cursors[j]);
        if (at < 0) all = false;
        else {
          cursors[j] = at + 1;
          sum += weights[at]!;
        }
      }
      if (!all) continue;
      this.touch(doc);
      this.scores[doc]! += weight * sum;
      for (const slot of slots) this.mark(doc, slot);
    }
  }

  /** The slots passage `doc` matched, as one exact number (a key for caching per-mask figures). */
  maskKey(doc: number): number {
    return maskKeyOf(this.low[doc]!, this.high[doc]!);
  }

  /** The one slot passage `doc` matched, or -1 when it matched several (most passages a query touches match one term). */
  onlySlot(doc: number): number {
    const low = this.low[doc]!;
    const high = this.high[doc]!;
    if (high === 0) return (low & (low - 1)) === 0 ? LOW_BITS - 1 - Math.clz32(low) : -1;
    return low === 0 && (high & (high - 1)) === 0 ? 2 * LOW_BITS - 1 - Math.clz32(high) : -1;
  }

  /** Whether passage `doc` matched `slot`. */
  matched(doc: number, slot: number): boolean {
    const mask = slot < LOW_BITS ? this.low : this.high;
    return (mask[doc]! & (1 << slot % LOW_BITS)) !== 0;
  }

  private touch(doc: number): void {
    if (this.stamp[doc] === this.generation) return;
    this.stamp[doc] = this.generation;
    this.scores[doc] = 0;
    this.low[doc] = 0;
    this.high[doc] = 0;
    this.touched[this.count++] = doc;
  }

  private mark(doc: number, slot: number): void {
    if (slot < LOW_BITS) this.low[doc]! |= 1 << slot;
    else this.high[doc]! |= 1 << (slot - LOW_BITS);
  }
}

/** The mask key of slots 0–31 (`low`) and 32–51 (`high`) as bits. */
export function maskKeyOf(low: number, high: number): number {
  return (high >>> 0) * HIGH_FACTOR + (low >>> 0);
}

/** The mask key of one slot matched alone. */
export function maskKeyOfSlot(slot: number): number {
  return slot < LOW_BITS ? maskKeyOf(1 << slot, 0) : maskKeyOf(0, 1 << (slot - LOW_BITS));
}

/** Slots set in a mask key made by `maskKey`. */
export function slotsOf(key: number): (slot: number) => boolean {
  const low = key % HIGH_FACTOR;
  const high = Math.floor(key / HIGH_FACTOR);
  return (slot) => ((slot < LOW_BITS ? low : high) & (1 << slot % LOW_BITS)) !== 0;
}
