import MiniSearch, { type Query } from 'minisearch';
import type { Passage } from '../corpus/types.ts';
import { passGate, type GateOptions } from './gate.ts';
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
/** Weight of a dictionary translation against the query's own words: same-language matches rank first. */
const TRANSLATION_WEIGHT = 0.5;
/** Weight of an operator alias: it names the same entity, so it counts like the original words. */
const ALIAS_WEIGHT = 1;

const splitTerms = (text: string) => text.split(' ');
const keepTerm = (term: string) => term;

const FIELDS = ['text', 'title', 'section', 'publisher'] as const;
const BOOST = { text: 2, title: 1, section: 0.5, publisher: 0.5 };

/** The passages of a corpus, indexed for search, with the confidence gate applied to every answer. */
export class SearchIndex {
  readonly passages: readonly Passage[];
  private readonly engine: MiniSearch<Passage>;
  private readonly documentFrequency = new Map<string, number>();
  private readonly passageById: Map<string, Passage>;

  private readonly translator: Translator;
  private readonly vocabulary: Vocabulary = {
    has: (term) => this.documentFrequency.has(term),
    idf: (term) => this.idf(term),
  };

  constructor(passages: readonly Passage[], translator: Translator = NO_TRANSLATION) {
    this.passages = passages;
    this.translator = translator;
    this.passageById = new Map(passages.map((p) => [p.id, p]));
    this.engine = new MiniSearch<Passage>({
      fields: [...FIELDS],
      idField: 'id',
      tokenize,
      processTerm,
      extractField: (passage, field) => (passage as unknown as Record<string, string | null>)[field] ?? '',
    });
    this.engine.addAll(passages as Passage[]);
    for (const passage of passages) {
      const terms = new Set<string>();
      for (const field of FIELDS) {
        for (const word of tokenize(passage[field] ?? '')) {
          const term = processTerm(word);
          if (term) terms.add(term);
        }
      }
      for (const term of terms) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    }
  }

  /** Passages answering `query`, best first; empty when nothing passes the confidence gate. */
  search(query: string, options: SearchOptions = {}): Hit[] {
    const plan = planQuery(query, this.translator, this.vocabulary);
    if (plan.totalWeight === 0) return [];
    const prefixLast = options.typing || !/[\s\p{P}]$/u.test(query);
    const exact = { tokenize: splitTerms, processTerm: keepTerm };
    const original: Query = {
      ...exact,
      queries: [plan.terms.join(' ')],
      // Typo tolerance and prefix matching only for words the corpus does not have as they are:
      // "Kazakstan" needs it, "entity" does not (fuzzy, it would also match "entitle").
      fuzzy: (term) => (!isHanTerm(term) && term.length >= FUZZY_MIN_CHARS && !this.documentFrequency.has(term) ? 0.2 : false),
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
    const hits = results.map((result) => {
      const coverage = coverageOf(plan, new Set(result.queryTerms));
      // Scaling by coverage counts each concept once, however many of its translations matched.
      return { passage: this.passageById.get(result.id)!, score: result.score * coverage, terms: result.terms, coverage };
    });
    hits.sort((a, b) => b.score - a.score);
    return options.gate === false ? hits : passGate(hits, options.gate);
  }

  /** Inverse document frequency; a term no passage has counts as the rarest possible. */
  private idf(term: string): number {
    const n = this.passages.length;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }
}

/** The distinct search terms of a query, in order: what the confidence gate weighs. */
export function queryTermsOf(query: string): string[] {
  const terms: string[] = [];
  for (const word of tokenize(query)) {
    const term = processTerm(word);
    if (term && !terms.includes(term)) terms.push(term);
  }
  return terms;
}

/** Indexes passages for search; with a translator, questions also find passages in the other language. */
export function buildIndex(passages: readonly Passage[], translator?: Translator): SearchIndex {
  return new SearchIndex(passages, translator);
}
