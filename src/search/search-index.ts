import type { Passage } from '../corpus/types.ts';
import { Accumulator, MAX_SLOTS, maskKeyOfSlot, slotsOf } from './accumulator.ts';
import { DEFAULT_GATE, passGate, type GateOptions } from './gate.ts';
import { Postings, type PostingsSnapshot } from './postings.ts';
import { matchOf, planQuery, type Match, type QueryPlan, type Vocabulary } from './query-plan.ts';
import { dateRangeOf, preferOneSentence, preferPhrase, preferRecent, type DateRange } from './rerank.ts';
import { hanCharacters, isHanTerm } from './tokenize.ts';
import { NO_TRANSLATION, type Translator } from './translate.ts';

/** A passage that answers a query, with why: its score and the index terms it matched. */
export interface Hit {
  passage: Passage;
  score: number;
  /** Index terms (processed: stemmed words, Han bigrams) this passage matched; used to highlight. */
  terms: string[];
  /** Share of the query's information (IDF-weighted terms) that this passage matched, 0–1. */
  coverage: number;
}

/** How a search treats the query. */
export interface SearchOptions {
  /**
   * The query is being typed (inline mode): its last word may be incomplete, so it also matches
   * as a prefix. Otherwise only an unfinished last word (no trailing space or punctuation) does.
   */
  typing?: boolean;
  /** The confidence gate to apply, or false for every candidate (evaluation of the gate itself). */
  gate?: GateOptions | false;
}

/** Latin terms at least this long get typo tolerance; Han bigrams never do. */
const FUZZY_MIN_CHARS = 5;
/** Most words of one query matched with typo tolerance. */
const MAX_FUZZY_TERMS = 3;
/** Typo tolerance: edits allowed per character of the word, and at most. */
const FUZZY_RATIO = 0.2;
const MAX_FUZZY_DISTANCE = 2;
/** Weight of a dictionary translation against the query's own words: same-language matches rank first. */
const TRANSLATION_WEIGHT = 0.5;
/** Share of a translation's weight that a one-character Chinese translation gets: it is ambiguous. */
const ONE_CHARACTER_FACTOR = 0.5;
/** Weight of an operator alias: it names the same entity, so it counts like the original words. */
const ALIAS_WEIGHT = 1;

/** Most hits one search returns: more pages than anyone reads, and a bound on the work per query. */
export const MAX_HITS = 50;
/** minisearch's weights for a prefix and a typo-tolerant match, against 1 for the exact term. */
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
/** Most completions of an unfinished last word searched: the closest ones. */
const MAX_COMPLETIONS = 30;

/**
 * Bump when tokenizing or index options change: snapshots made by another version are then
 * rebuilt instead of loaded.
 */
export const INDEX_FORMAT_VERSION = 7;

/** An index as plain data (see SearchIndex.toSnapshot). */
export type IndexSnapshot = PostingsSnapshot;

/** One way a part of the query matches: terms that must all occur, worth `weight` each. */
interface Clause {
  ids: number[];
  /** Most query weight (coverage numerator) a passage matching this clause can gain by it. */
  potential: number;
  /** Query slot of each term: which source term a match stands for (coverage, highlighting). */
  slots: number[];
  weight: number;
}

/** The passages of a corpus, indexed for search, with the confidence gate applied to every answer. */
export class SearchIndex {
  readonly passages: readonly Passage[];
  private readonly postings: Postings;
  private readonly accumulator: Accumulator;
  /** How queries are segmented and translated; also read by examples.ts to cut Chinese text into words. */
  readonly translator: Translator;
  private readonly vocabulary: Vocabulary;
  /** The corpus's oldest and newest dates (see preferRecent): found once, not in a question. */
  private readonly dates: DateRange | null;

  private constructor(passages: readonly Passage[], postings: Postings, translator: Translator) {
    this.passages = passages;
    this.dates = dateRangeOf(passages);
    this.postings = postings;
    this.accumulator = new Accumulator(postings);
    this.translator = translator;
    this.vocabulary = {
      has: (term) => postings.termId(term) !== undefined,
      idf: (term) => this.idf(term),
      df: (term) => postings.df(term),
      soundingLike: (key) => postings.soundingLike(key),
    };
  }

  /** Tokenizes and indexes passages. */
  static build(
    passages: readonly Passage[],
    translator: Translator = NO_TRANSLATION,
    onProgress?: (done: number, total: number) => void,
  ): SearchIndex {
    return new SearchIndex(passages, Postings.build(passages, onProgress), translator);
  }

  /** Rebuilds an index from a snapshot of the same passages, without tokenizing them again. */
  static restore(passages: readonly Passage[], snapshot: IndexSnapshot, translator: Translator = NO_TRANSLATION): SearchIndex {
    return new SearchIndex(passages, Postings.restore(snapshot, passages.length), translator);
  }

  /** restore, yielding to the event loop between slices of the work (a reload while the bot answers). */
  static async restoreInSlices(
    passages: readonly Passage[],
    snapshot: IndexSnapshot,
    translator: Translator,
    yieldToEventLoop: () => Promise<void>,
    termsPerSlice?: number,
  ): Promise<SearchIndex> {
    return new SearchIndex(passages, await Postings.restoreInSlices(snapshot, passages.length, yieldToEventLoop, termsPerSlice), translator);
  }

  /** The same index, translating queries with `translator` (indexing needs no dictionary; answering does). */
  withTranslator(translator: Translator): SearchIndex {
    return new SearchIndex(this.passages, this.postings, translator);
  }

  /** The index as plain data, so a restart with unchanged documents can skip indexing. */
  toSnapshot(): IndexSnapshot {
    return this.postings.toSnapshot();
  }

  /** Passages answering `query`, best first (at most MAX_HITS); empty when nothing passes the confidence gate. */
  search(query: string, options: SearchOptions = {}): Hit[] {
    const plan = planQuery(query, this.translator, this.vocabulary);
    if (plan.totalWeight === 0) return [];
    const { clauses, sources, derived } = this.clausesOf(plan, options.typing || !/[\s\p{P}]$/u.test(query));
    const gate = options.gate === false ? null : (options.gate ?? DEFAULT_GATE);
    const acc = this.accumulator;
    acc.reset();
    // Most informative clauses first. Once the clauses left could not lift a passage they reach
    // first to the gate's coverage, they only add to passages already reached: the common terms
    // of a question cost little and bring in no passage that could be shown anyway.
    clauses.sort((a, b) => b.potential - a.potential);
    let left = clauses.reduce((sum, c) => sum + c.potential, 0);
    for (const clause of clauses) {
      const touchedOnly = gate !== null && left < gate.minCoverage * plan.totalWeight;
      acc.addAll(clause.ids, clause.slots, clause.weight, touchedOnly);
      left -= clause.potential;
    }

    // Coverage and the number of terms matched depend only on which slots matched: computed once
    // per distinct mask.
    const byMask = new Map<number, Match>();
    const figuresOfMask = (key: number): Match => {
      let figures = byMask.get(key);
      if (figures === undefined) {
        const has = slotsOf(key);
        figures = matchOf(plan, new Set(sources.filter((_, slot) => has(slot))));
        byMask.set(key, figures);
      }
      return figures;
    };
    const coverageOfMask = (key: number) => figuresOfMask(key).coverage;
    const coverage = (doc: number) => coverageOfMask(acc.maskKey(doc));
    // Most passages a query touches match one term too common to pass the gate alone: they are
    // turned away by that slot's coverage, without looking up the figures of their mask.
    const belowGateAlone = sources.map((_, slot) => gate !== null && coverageOfMask(maskKeyOfSlot(slot)) < gate.minCoverage);
    const top = new TopK(MAX_HITS);
    for (let i = 0; i < acc.count; i++) {
      const doc = acc.touched[i]!;
      const slot = acc.onlySlot(doc);
      if (slot >= 0 && belowGateAlone[slot]) continue;
      const { coverage: c, matched } = figuresOfMask(acc.maskKey(doc));
      if (gate && c < gate.minCoverage) continue;
      // BM25+, times √(query terms and concepts matched) and the coverage, so each concept counts
      // once however many of its translations, or of their bigrams, matched. minisearch multiplies
      // by the number of terms matched, which with coverage counts common words twice (DESIGN.md,
      // "Ranking").
      const score = acc.scores[doc]! * Math.sqrt(matched) * c;
      top.offer(doc, score);
    }
    // The gate judges the index scores; the sentence preference then orders what passed.
    const candidates = top.sorted().map(({ doc, score }) => ({ doc, score, coverage: coverage(doc) }));
    const bySentence = preferOneSentence(gate ? passGate(candidates, gate) : candidates, this.postings, {
      derived,
      coverageOfMask,
      characters: this.characterWeights(query),
      asksForNumber: plan.asksForNumber,
    });
    const ranked = preferRecent(preferPhrase(bySentence, this.passages, query), this.passages, this.dates);
    return ranked.map(({ doc, score, coverage }): Hit => ({
      passage: this.passages[doc]!,
      score,
      terms: derived.filter((d) => acc.matched(doc, d.slot) && this.postings.has(d.id, doc)).map((d) => d.term),
      coverage,
    }));
  }

  /**
   * The clauses that score a plan: each of its own terms (exact; a typo-tolerant match for a few
   * unknown long words; completions for an unfinished last word), and each translation or alias
   * alternative as a phrase whose terms must all occur.
   */
  private clausesOf(plan: QueryPlan, prefixLast: boolean): { clauses: Clause[]; sources: string[]; derived: { term: string; id: number; slot: number }[] } {
    const sources: string[] = [];
    const slotOf = (term: string): number | undefined => {
      let slot = sources.indexOf(term);
      if (slot < 0 && sources.length < MAX_SLOTS) slot = sources.push(term) - 1;
      return slot < 0 ? undefined : slot;
    };
    const clauses: Clause[] = [];
    const derived: { term: string; id: number; slot: number }[] = [];
    const termPotential = (term: string) => plan.units.reduce((sum, u) => sum + (u.terms.includes(term) ? u.weight : 0), 0);
    const conceptPotential = (c: number) => plan.units.reduce((sum, u) => sum + (u.concepts.includes(c) ? u.weight : 0), 0);
    const add = (term: string, id: number, slot: number, weight: number, potential: number) => {
      clauses.push({ ids: [id], slots: [slot], weight, potential });
      derived.push({ term, id, slot });
    };
    // Typo tolerance walks the term tree: only for a few unknown words, the longest first.
    const fuzzyTerms = new Set(
      plan.terms
        .filter((t) => !isHanTerm(t) && t.length >= FUZZY_MIN_CHARS && this.postings.termId(t) === undefined)
        .sort((a, b) => b.length - a.length)
        .slice(0, MAX_FUZZY_TERMS),
    );
    plan.terms.forEach((term, i) => {
      const slot = slotOf(term)!;
      const potential = termPotential(term);
      const id = this.postings.termId(term);
      if (id !== undefined) add(term, id, slot, 1, potential);
      const isLast = i === plan.terms.length - 1;
      const completes = isLast && !isHanTerm(term) && term.length >= 3 && prefixLast && id === undefined;
      const completed = new Set<string>();
      if (completes) {
        const completions = this.postings
          .withPrefix(term)
          .sort((a, b) => a[0].length - b[0].length || this.postings.dfOf(b[1]) - this.postings.dfOf(a[1]))
          .slice(0, MAX_COMPLETIONS);
        for (const [other, otherId] of completions) {
          const distance = other.length - term.length;
          add(other, otherId, slot, (PREFIX_WEIGHT * other.length) / (other.length + 0.3 * distance), potential);
          completed.add(other);
        }
      }
      if (fuzzyTerms.has(term)) {
        const maxDistance = Math.min(MAX_FUZZY_DISTANCE, Math.round(term.length * FUZZY_RATIO));
        for (const [other, otherId, distance] of this.postings.similar(term, maxDistance)) {
          if (!completed.has(other)) add(other, otherId, slot, (FUZZY_WEIGHT * other.length) / (other.length + distance), potential);
        }
      }
    });
    plan.concepts.forEach((concept, c) => {
      const weight = concept.kind === 'alias' ? ALIAS_WEIGHT : TRANSLATION_WEIGHT;
      const potential = conceptPotential(c);
      // The translations of one word are one concept: each weighs as the rarer of itself and
      // the whole set (Pirkola's structured query), so a rare wrong sense (times → 泰晤士报)
      // does not outweigh the word's common ones.
      const conceptDf = Math.min(this.passages.length, concept.alternatives.reduce((sum, alt) => sum + this.phraseDf(alt), 0));
      for (const alternative of concept.alternatives) {
        const ids = alternative.map((t) => this.postings.termId(t));
        const slots = alternative.map(slotOf);
        if (ids.some((id) => id === undefined) || slots.some((s) => s === undefined)) continue;
        // A one-character translation (river → 河) also matches every word with that character in it.
        const oneCharacter = alternative.length === 1 && isHanTerm(alternative[0]!) && [...alternative[0]!].length === 1;
        const rarity = concept.kind === 'alias' ? 1 : this.idfOf(conceptDf) / this.idfOf(this.phraseDf(alternative));
        const factor = oneCharacter ? ONE_CHARACTER_FACTOR : 1;
        // A phrase counts once: the average of its terms' weights (超级碗 is one word, not 超级 + 级碗).
        clauses.push({ ids: ids as number[], slots: slots as number[], weight: (weight * factor * rarity) / ids.length, potential });
        alternative.forEach((term, k) => derived.push({ term, id: ids[k]!, slot: slots[k]! }));
      }
    });
    return { clauses, sources, derived };
  }

  /**
   * The question's Han characters that the index has (term id → IDF). A sentence that shares
   * the question's characters but not its bigrams often says the same in other words: 错误 for
   * 说错, 献唱 for 演唱, 死亡 for 死于. A character no passage has tells no passage apart, so it is
   * left out of the total (counting it: zh→zh 0.945 → 0.942).
   */
  private characterWeights(query: string): Map<number, number> {
    const weights = new Map<number, number>();
    for (const character of hanCharacters(query)) {
      const id = this.postings.termId(character);
      if (id !== undefined) weights.set(id, this.idf(character));
    }
    return weights;
  }

  /** Inverse document frequency; a term no passage has counts as the rarest possible. */
  private idf(term: string): number {
    return this.idfOf(this.postings.df(term));
  }

  /** BM25's inverse document frequency of a term (or set of terms) that `df` passages have. */
  private idfOf(df: number): number {
    const n = this.passages.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Passages a phrase can at most match: as many as its rarest term has. */
  private phraseDf(terms: readonly string[]): number {
    return Math.min(...terms.map((t) => this.postings.df(t)));
  }
}

/** The k best (passage, score) pairs seen, kept in a min-heap: one pass, no sort of every match. */
class TopK {
  private readonly docs: number[] = [];
  private readonly scores: number[] = [];

  constructor(private readonly k: number) {}

  offer(doc: number, score: number): void {
    const { docs, scores } = this;
    if (docs.length < this.k) {
      docs.push(doc);
      scores.push(score);
      this.up(docs.length - 1);
    } else if (score > scores[0]!) {
      docs[0] = doc;
      scores[0] = score;
      this.down(0);
    }
  }

  /** Best first; ties in passage order, so results do not depend on the order of the postings. */
  sorted(): { doc: number; score: number }[] {
    return this.docs.map((doc, i) => ({ doc, score: this.scores[i]! })).sort((a, b) => b.score - a.score || a.doc - b.doc);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.scores[parent]! <= this.scores[i]!) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.docs.length;
    for (;;) {
      let least = i;
      for (const child of [2 * i + 1, 2 * i + 2]) if (child < n && this.scores[child]! < this.scores[least]!) least = child;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }

  private swap(a: number, b: number): void {
    [this.docs[a], this.docs[b]] = [this.docs[b]!, this.docs[a]!];
    [this.scores[a], this.scores[b]] = [this.scores[b]!, this.scores[a]!];
  }
}

/** Indexes passages for search; with a translator, questions also find passages in the other language. */
export function buildIndex(passages: readonly Passage[], translator?: Translator): SearchIndex {
  return SearchIndex.build(passages, translator);
}
