import SearchableMap from 'minisearch/SearchableMap';
import type { Passage } from '../corpus/types.ts';
import { hanCharacters, isHanTerm, processTerm, splitSentences, tokenize } from './tokenize.ts';
import { latinSoundKey } from './sound.ts';

/** The fields of a passage that are searched, and how much a match in each counts. */
export const FIELD_BOOSTS = { text: 2, title: 1, section: 0.5, publisher: 0.5 } as const;
type Field = keyof typeof FIELD_BOOSTS;
const FIELDS = Object.keys(FIELD_BOOSTS) as Field[];
/** minisearch's BM25+ parameters, so scores are the ones minisearch's own search would give. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/** Passages indexed between two progress reports. */
const PROGRESS_EVERY = 2000;

/** Postings as plain data (typed arrays): written to disk and read back without re-indexing. */
export interface PostingsSnapshot {
  documentCount: number;
  /** Every term, in term-id order, joined by newlines (terms never contain one). */
  terms: string;
  offsets: Uint32Array;
  docs: Uint32Array;
  weights: Float32Array;
  sentenceStarts: Uint32Array;
  sentenceTerms: Uint32Array;
}

/** Ends a sentence in `Postings.sentenceTerms`; no term has this id. */
export const SENTENCE_END = 0xffffffff;

/**
 * The inverted index: for every term, the passages that have it (ascending passage numbers) and
 * how much each match is worth (BM25+ over the fields, field boosts and IDF included), packed in
 * typed arrays. Scoring a query is then one pass of additions over these arrays, and a snapshot
 * is a few buffers. Terms live in minisearch's radix tree (SearchableMap), which gives prefix and
 * typo-tolerant (Levenshtein) term lookup.
 *
 * minisearch's own index keeps a Map per term and field with an entry per passage: at 100,000
 * passages that is 10 million Map entries, a 109 MB JSON snapshot that takes 39 s to load, and
 * queries that materialise every match (see DESIGN.md).
 */
export class Postings {
  readonly documentCount: number;
  /** Passage numbers, term by term: the postings of term t are docs[offsets[t]] … docs[offsets[t + 1] - 1]. */
  readonly docs: Uint32Array;
  /** The score a match of the term contributes to that passage, parallel to `docs`. */
  readonly weights: Float32Array;
  readonly offsets: Uint32Array;
  /**
   * The distinct term ids of each sentence of each passage's text, every sentence closed by
   * SENTENCE_END: passage d's are sentenceTerms[sentenceStarts[d]] … [sentenceStarts[d + 1] - 1].
   * Lets ranking see whether a passage answers in one place, without tokenizing it again.
   */
  readonly sentenceStarts: Uint32Array;
  readonly sentenceTerms: Uint32Array;
  private readonly termList: readonly string[];
  private readonly ids: Map<string, number>;
  /**
   * The non-Han terms, for prefix and typo-tolerant lookup (Han terms get neither). Kept apart:
   * a radix tree whose root has thousands of Han children is slow to build (3 s at 100,000
   * passages) and slow to search with typos (~100 ms a word).
   */
  private readonly words: SearchableMap<number>;
  /** Latin words by sound key (see sound.ts), for names a Chinese question spells by sound. */
  private readonly sounds: Map<string, number[]>;

  private constructor(snapshot: PostingsSnapshot, terms: readonly string[], lookup: TermLookup = new TermLookup(terms)) {
    this.documentCount = snapshot.documentCount;
    this.docs = snapshot.docs;
    this.weights = snapshot.weights;
    this.offsets = snapshot.offsets;
    this.sentenceStarts = snapshot.sentenceStarts;
    this.sentenceTerms = snapshot.sentenceTerms;
    this.termList = terms;
    lookup.addUpTo(terms.length);
    this.ids = lookup.ids;
    this.words = lookup.words;
    this.sounds = lookup.sounds;
  }

  /** Tokenizes and indexes passages; passage i of the array is passage number i. */
  static build(passages: readonly Passage[], onProgress?: (done: number, total: number) => void): Postings {
    const n = passages.length;
    const ids = new Map<string, number>();
    const termList: string[] = [];
    // processTerm stems English words; a corpus repeats its words, so each is processed once.
    const processed = new Map<string, number>();
    const idOf = (word: string): number => {
      let id = processed.get(word);
      if (id === undefined) {
        const term = processTerm(word);
        if (term === null) id = -1;
        else {
          id = ids.get(term);
          if (id === undefined) {
            id = termList.length;
            ids.set(term, id);
            termList.push(term);
          }
        }
        processed.set(word, id);
      }
      return id;
    };

    // One entry per (term, passage, field) with its frequency, in passage order.
    const entryTerm = new GrowingArray();
    const entryDoc = new GrowingArray();
    const entryFieldFreq = new GrowingArray();
    const fieldLengths = FIELDS.map(() => new Uint32Array(n));
    const sentenceStarts = new Uint32Array(n + 1);
    const sentenceTerms = new GrowingArray();
    // Per term id: its count in the current field, and the last field and sentence that had it,
    // so counting a field's terms needs no Map or Set per field (the build's hottest loop).
    const counts = new TermCounters();
    let fieldSerial = 0;
    let sentenceSerial = 0;
    const fieldTerms: number[] = [];
    for (let doc = 0; doc < n; doc++) {
      const passage = passages[doc]!;
      FIELDS.forEach((field, f) => {
        const text = passage[field] ?? '';
        const sentences = field === 'text' ? splitSentences(text) : [text];
        const tokens = new Set<string>();
        fieldSerial++;
        fieldTerms.length = 0;
        const count = (word: string): void => {
          const id = idOf(word);
          if (id < 0) return;
          counts.ensure(termList.length);
          if (counts.field[id] !== fieldSerial) {
            counts.field[id] = fieldSerial;
            counts.frequency[id] = 0;
            fieldTerms.push(id);
          }
          counts.frequency[id]!++;
          if (field === 'text' && counts.sentence[id] !== sentenceSerial) {
            counts.sentence[id] = sentenceSerial;
            sentenceTerms.push(id);
          }
        };
        for (const sentence of sentences) {
          sentenceSerial++;
          for (const word of tokenize(sentence)) {
            tokens.add(word);
            count(word);
          }
          for (const character of hanCharacters(sentence)) count(character);
          if (field === 'text') sentenceTerms.push(SENTENCE_END);
        }
        // minisearch's field length: distinct tokens (bigrams and words, not the added characters).
        fieldLengths[f]![doc] = tokens.size;
        for (const id of fieldTerms) {
          entryTerm.push(id);
          entryDoc.push(doc);
          entryFieldFreq.push((counts.frequency[id]! << 2) | f);
        }
      });
      sentenceStarts[doc + 1] = sentenceTerms.length;
      if ((doc + 1) % PROGRESS_EVERY === 0 || doc + 1 === n) onProgress?.(doc + 1, n);
    }

    // Document frequency per term and field (for IDF), and postings per term (distinct passages).
    const termCount = termList.length;
    const fieldDf = new Uint32Array(termCount * FIELDS.length);
    const postingCount = new Uint32Array(termCount);
    const lastDoc = new Int32Array(termCount).fill(-1);
    for (let e = 0; e < entryTerm.length; e++) {
      const t = entryTerm.at(e);
      const d = entryDoc.at(e);
      fieldDf[t * FIELDS.length + (entryFieldFreq.at(e) & 3)]!++;
      if (lastDoc[t] !== d) {
        lastDoc[t] = d;
        postingCount[t]!++;
      }
    }
    const offsets = new Uint32Array(termCount + 1);
    for (let t = 0; t < termCount; t++) offsets[t + 1] = offsets[t]! + postingCount[t]!;
    const docs = new Uint32Array(offsets[termCount]!);
    const weights = new Float32Array(offsets[termCount]!);
    const averageLength = fieldLengths.map((lengths) => lengths.reduce((sum, l) => sum + l, 0) / Math.max(1, n));
    const next = offsets.slice(0, termCount);
    lastDoc.fill(-1);
    for (let e = 0; e < entryTerm.length; e++) {
      const t = entryTerm.at(e);
      const d = entryDoc.at(e);
      const f = entryFieldFreq.at(e) & 3;
      const frequency = entryFieldFreq.at(e) >>> 2;
      if (lastDoc[t] !== d) {
        lastDoc[t] = d;
        docs[next[t]!++] = d;
      }
      const df = fieldDf[t * FIELDS.length + f]!;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const norm = BM25.k * (1 - BM25.b + (BM25.b * fieldLengths[f]![d]!) / (averageLength[f] || 1));
      weights[next[t]! - 1]! += FIELD_BOOSTS[FIELDS[f]!] * idf * (BM25.d + (frequency * (BM25.k + 1)) / (frequency + norm));
    }
    const sentences = { sentenceStarts, sentenceTerms: sentenceTerms.toArray() };
    return new Postings({ documentCount: n, terms: '', offsets, docs, weights, ...sentences }, termList);
  }

  /** Reads postings back from a snapshot; throws when it does not fit `documentCount` passages. */
  static restore(snapshot: PostingsSnapshot, documentCount: number): Postings {
    const terms = snapshot.terms === '' ? [] : snapshot.terms.split('\n');
    return new Postings(snapshot, Postings.checked(snapshot, documentCount, terms));
  }

  /**
   * restore, building the term lookup a slice at a time and letting the event loop run between
   * slices: at a million passages that is seconds of work, and the bot answers meanwhile.
   */
  static async restoreInSlices(
    snapshot: PostingsSnapshot,
    documentCount: number,
    yieldToEventLoop: () => Promise<void>,
    termsPerSlice = TERMS_PER_SLICE,
  ): Promise<Postings> {
    // The terms are split off their string a slice at a time too: one split of 160,000 terms
    // (100,000 passages) held the thread for 110 ms.
    const text = snapshot.terms;
    const terms: string[] = [];
    for (let from = 0; from < text.length; ) {
      for (let n = 0; n < termsPerSlice && from < text.length; n++) {
        const end = text.indexOf('\n', from);
        terms.push(text.slice(from, end < 0 ? text.length : end));
        from = end < 0 ? text.length : end + 1;
      }
      await yieldToEventLoop();
    }
    Postings.checked(snapshot, documentCount, terms);
    const lookup = new TermLookup(terms);
    for (let end = termsPerSlice; end < terms.length; end += termsPerSlice) {
      lookup.addUpTo(end);
      await yieldToEventLoop();
    }
    return new Postings(snapshot, terms, lookup);
  }

  /** `terms`, after checking that the snapshot they came from fits `documentCount` passages. */
  private static checked(snapshot: PostingsSnapshot, documentCount: number, terms: string[]): string[] {
    const { offsets, docs, weights } = snapshot;
    if (
      snapshot.documentCount !== documentCount ||
      offsets.length !== terms.length + 1 ||
      docs.length !== offsets[terms.length] ||
      weights.length !== docs.length ||
      snapshot.sentenceStarts?.length !== documentCount + 1 ||
      snapshot.sentenceTerms?.length !== snapshot.sentenceStarts[documentCount]
    ) {
      throw new Error('index snapshot does not match the passages');
    }
    return terms;
  }

  toSnapshot(): PostingsSnapshot {
    const { documentCount, offsets, docs, weights, sentenceStarts, sentenceTerms } = this;
    return { documentCount, terms: this.termList.join('\n'), offsets, docs, weights, sentenceStarts, sentenceTerms };
  }

  /** The id of an indexed term, or undefined when no passage has it. */
  termId(term: string): number | undefined {
    return this.ids.get(term);
  }

  /** Number of passages that have the term (0 for an unknown term). */
  df(term: string): number {
    const id = this.ids.get(term);
    return id === undefined ? 0 : this.offsets[id + 1]! - this.offsets[id]!;
  }

  /** Number of passages that have the term with this id. */
  dfOf(id: number): number {
    return this.offsets[id + 1]! - this.offsets[id]!;
  }

  /** Indexed non-Han terms that start with `prefix` and are longer, with their ids. */
  withPrefix(prefix: string): [term: string, id: number][] {
    const found: [string, number][] = [];
    for (const [term, id] of this.words.atPrefix(prefix)) if (term !== prefix) found.push([term, id]);
    return found;
  }

  /** Indexed non-Han terms within `maxDistance` edits of `term` (other than itself), with their ids and distances. */
  similar(term: string, maxDistance: number): [term: string, id: number, distance: number][] {
    const found: [string, number, number][] = [];
    for (const [other, [id, distance]] of this.words.fuzzyGet(term, maxDistance)) if (distance > 0) found.push([other, id, distance]);
    return found;
  }

  /** Indexed Latin words (three letters or more) whose sound key is `key`. */
  soundingLike(key: string): string[] {
    return (this.sounds.get(key) ?? []).map((id) => this.termList[id]!);
  }

  /** Whether the term with this id is a number (1967, 24, 5.15): a date or a quantity. */
  isNumber(id: number): boolean {
    const first = this.termList[id]!.charCodeAt(0);
    return first >= 0x30 && first <= 0x39;
  }

  /** Whether passage `doc` has the term with this id (binary search of its postings). */
  has(id: number, doc: number): boolean {
    return this.find(id, doc) >= 0;
  }

  /** Position of passage `doc` in the postings of term `id`, or -1. */
  find(id: number, doc: number, from = this.offsets[id]!): number {
    let low = from;
    let high = this.offsets[id + 1]! - 1;
    const docs = this.docs;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = docs[mid]!;
      if (at === doc) return mid;
      if (at < doc) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }
}

/** Counters indexed by term id, grown as the vocabulary grows (Postings.build). */
class TermCounters {
  frequency = new Uint32Array(1 << 16);
  /** Serial number of the last field, and of the last sentence, in which the term occurred. */
  field = new Uint32Array(1 << 16);
  sentence = new Uint32Array(1 << 16);

  /** Makes room for term ids below `size`. */
  ensure(size: number): void {
    if (size <= this.frequency.length) return;
    const grow = (array: Uint32Array) => {
      const bigger = new Uint32Array(Math.max(size, array.length * 2));
      bigger.set(array);
      return bigger;
    };
    this.frequency = grow(this.frequency);
    this.field = grow(this.field);
    this.sentence = grow(this.sentence);
  }
}

/** A Uint32 array that grows as it is appended to: index entries without a JavaScript array's overhead. */
class GrowingArray {
  private data = new Uint32Array(1 << 16);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  at(i: number): number {
    return this.data[i]!;
  }

  /** The values pushed, in an array of their own size. */
  toArray(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

/** Terms added to the lookup per slice in restoreInSlices: about 20 ms of work (10,000 took up to 70 ms). */
const TERMS_PER_SLICE = 4_000;

/** Term → id, the non-Han terms' radix tree and the sound keys (see Postings), filled in order of id. */
class TermLookup {
  readonly ids = new Map<string, number>();
  readonly words = new SearchableMap<number>();
  readonly sounds = new Map<string, number[]>();
  private added = 0;

  constructor(private readonly terms: readonly string[]) {}

  /** Adds the terms with ids below `end` that are not in yet. */
  addUpTo(end: number): void {
    for (let id = this.added; id < Math.min(end, this.terms.length); id++) {
      const term = this.terms[id]!;
      this.ids.set(term, id);
      if (isHanTerm(term)) continue;
      this.words.set(term, id);
      if (term.length >= 3 && /^[a-z]+$/.test(term)) {
        const key = latinSoundKey(term);
        const ids = this.sounds.get(key);
        if (ids) ids.push(id);
        else this.sounds.set(key, [id]);
      }
    }
    this.added = Math.max(this.added, Math.min(end, this.terms.length));
  }
}
