import MiniSearch, { type AsPlainObject, type Options, type Query } from 'minisearch';
import type { Passage } from '../corpus/types.ts';
import { DEFAULT_GATE, passGate, type GateOptions } from './gate.ts';
import { coverageOf, planQuery, type Vocabulary } from './query-plan.ts';
import { isHanTerm, processTerm, tokenize } from './tokenize.ts';
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
/** Weight of a dictionary translation against the query's own words: same-language matches rank first. */
const TRANSLATION_WEIGHT = 0.5;
/** Weight of an operator alias: it names the same entity, so it counts like the original words. */
const ALIAS_WEIGHT = 1;

const splitTerms = (text: string) => text.split(' ');
const keepTerm = (term: string) => term;

const FIELDS = ['text', 'title', 'section', 'publisher'] as const;
const BOOST = { text: 2, title: 1, section: 0.5, publisher: 0.5 };
const ENGINE_OPTIONS: Options<Passage> = {
  fields: [...FIELDS],
  idField: 'id',
  tokenize,
  processTerm,
  extractField: (passage, field) => (passage as unknown as Record<string, string | null>)[field] ?? '',
};

/**
 * Bump when tokenizing or index options change: snapshots made by another version are then
 * rebuilt instead of loaded.
 */
export const INDEX_FORMAT_VERSION = 1;
/** Passages indexed between two progress reports. */
const BUILD_CHUNK = 2000;

/** An index as plain data (see SearchIndex.toSnapshot). */
export interface IndexSnapshot {
  engine: AsPlainObject;
  documentFrequency: [string, number][];
}

interface IndexParts {
  passages: readonly Passage[];
  engine: MiniSearch<Passage>;
  documentFrequency: Map<string, number>;
}

/** The passages of a corpus, indexed for search, with the confidence gate applied to every answer. */
export class SearchIndex {
  readonly passages: readonly Passage[];
  private readonly engine: MiniSearch<Passage>;
  private readonly documentFrequency: Map<string, number>;
  private readonly passageById: Map<string, Passage>;

  private readonly translator: Translator;
  private readonly vocabulary: Vocabulary;

  private constructor(parts: IndexParts, translator: Translator) {
    this.passages = parts.passages;
    this.engine = parts.engine;
    this.documentFrequency = parts.documentFrequency;
    this.translator = translator;
    this.passageById = new Map(parts.passages.map((p) => [p.id, p]));
    const df = parts.documentFrequency;
    this.vocabulary = {
      has: (term) => df.has(term),
      idf: (term) => this.idf(term),
      df: (term) => df.get(term) ?? 0,
    };
  }

  /** Tokenizes and indexes passages. */
  static build(
    passages: readonly Passage[],
    translator: Translator = NO_TRANSLATION,
    onProgress?: (done: number, total: number) => void,
  ): SearchIndex {
    const engine = new MiniSearch<Passage>(ENGINE_OPTIONS);
    for (let done = 0; done < passages.length; done += BUILD_CHUNK) {
      engine.addAll(passages.slice(done, done + BUILD_CHUNK) as Passage[]);
      onProgress?.(Math.min(done + BUILD_CHUNK, passages.length), passages.length);
    }
    const documentFrequency = new Map<string, number>();
    for (const passage of passages) {
      const terms = new Set<string>();
      for (const field of FIELDS) {
        for (const word of tokenize(passage[field] ?? '')) {
          const term = processTerm(word);
          if (term) terms.add(term);
        }
      }
      for (const term of terms) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    }
    return new SearchIndex({ passages, engine, documentFrequency }, translator);
  }

  /** Rebuilds an index from a snapshot of the same passages, without tokenizing them again. */
  static async restore(passages: readonly Passage[], snapshot: IndexSnapshot, translator: Translator = NO_TRANSLATION): Promise<SearchIndex> {
    const engine = await MiniSearch.loadJSAsync<Passage>(snapshot.engine, ENGINE_OPTIONS);
    if (engine.documentCount !== passages.length) throw new Error('index snapshot does not match the passages');
    return new SearchIndex({ passages, engine, documentFrequency: new Map(snapshot.documentFrequency) }, translator);
  }

  /** The index as plain data, so a restart with unchanged documents can skip indexing. */
  toSnapshot(): IndexSnapshot {
    return { engine: this.engine.toJSON(), documentFrequency: [...this.documentFrequency] };
  }

  /** Passages answering `query`, best first; empty when nothing passes the confidence gate. */
  search(query: string, options: SearchOptions = {}): Hit[] {
    const plan = planQuery(query, this.translator, this.vocabulary);
    if (plan.totalWeight === 0) return [];
    const prefixLast = options.typing || !/[\s\p{P}]$/u.test(query);
    const exact = { tokenize: splitTerms, processTerm: keepTerm };
    // Fuzzy matching walks the whole term tree: only for a few unknown words, the longest first.
    const fuzzyTerms = new Set(
      plan.terms
        .filter((t) => !isHanTerm(t) && t.length >= FUZZY_MIN_CHARS && !this.documentFrequency.has(t))
        .sort((a, b) => b.length - a.length)
        .slice(0, MAX_FUZZY_TERMS),
    );
    const original: Query = {
      ...exact,
      queries: [plan.terms.join(' ')],
      // Typo tolerance and prefix matching only for words the corpus does not have as they are:
      // "Kazakstan" needs it, "entity" does not (fuzzy, it would also match "entitle").
      fuzzy: (term) => (fuzzyTerms.has(term) ? 0.2 : false),
      maxFuzzy: 2,
      prefix: (term, i, terms) =>
        i === terms.length - 1 && !isHanTerm(term) && term.length >= 3 && (options.typing || (prefixLast && !this.documentFrequency.has(term))),
    };
    const translations: Query[] = plan.concepts.map((concept) => ({
      ...exact,
      combineWith: 'OR',
      boostTerm: () => (concept.kind === 'alias' ? ALIAS_WEIGHT : TRANSLATION_WEIGHT),
      queries: concept.alternatives.map((terms) => ({ ...exact, combineWith: 'AND', queries: [terms.join(' ')] })),
    }));
    const results = this.engine.search({ combineWith: 'OR', queries: [original, ...translations] }, { boost: BOOST });
    const gate = options.gate === false ? null : (options.gate ?? DEFAULT_GATE);
    const hits: Hit[] = [];
    let best = 0;
    for (const result of results) {
      // Results come best raw score first, and coverage ≤ 1: once a raw score is below what the
      // gate keeps relative to the best hit so far, no later result can pass. Skip the tail.
      if (gate && result.score < best * gate.minRelativeScore) break;
      const coverage = coverageOf(plan, new Set(result.queryTerms));
      // Scaling by coverage counts each concept once, however many of its translations matched.
      const score = result.score * coverage;
      best = Math.max(best, score);
      hits.push({ passage: this.passageById.get(result.id)!, score, terms: result.terms, coverage });
    }
    hits.sort((a, b) => b.score - a.score);
    return gate ? passGate(hits, gate) : hits;
  }

  /** Inverse document frequency; a term no passage has counts as the rarest possible. */
  private idf(term: string): number {
    const n = this.passages.length;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }
}

/** Indexes passages for search; with a translator, questions also find passages in the other language. */
export function buildIndex(passages: readonly Passage[], translator?: Translator): SearchIndex {
  return SearchIndex.build(passages, translator);
}
