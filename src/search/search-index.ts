import MiniSearch, { type SearchResult } from 'minisearch';
import type { Passage } from '../corpus/types.ts';
import { passGate, type GateOptions } from './gate.ts';
import { isHanTerm, processTerm, tokenize, tokenizeWithOffsets } from './tokenize.ts';

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

const FIELDS = ['text', 'title', 'section'] as const;
const BOOST = { text: 2, title: 1, section: 0.5 };

/** The passages of a corpus, indexed for search, with the confidence gate applied to every answer. */
export class SearchIndex {
  readonly passages: readonly Passage[];
  private readonly engine: MiniSearch<Passage>;
  private readonly documentFrequency = new Map<string, number>();
  private readonly passageById: Map<string, Passage>;

  constructor(passages: readonly Passage[]) {
    this.passages = passages;
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
    const units = this.queryUnits(query);
    if (units.total === 0) return [];
    const prefixLast = options.typing || !/[\s\p{P}]$/u.test(query);
    const results = this.engine.search(query, {
      boost: BOOST,
      fuzzy: (term) => (!isHanTerm(term) && term.length >= FUZZY_MIN_CHARS ? 0.2 : false),
      maxFuzzy: 2,
      prefix: (term, i, terms) => prefixLast && i === terms.length - 1 && !isHanTerm(term) && term.length >= 3,
    });
    const hits = results.map((result) => ({
      passage: this.passageById.get(result.id)!,
      score: result.score,
      terms: result.terms,
      coverage: coverageOf(units, new Set(result.queryTerms)),
    }));
    return options.gate === false ? hits : passGate(hits, options.gate);
  }

  /**
   * What a query asks for, weighted by how informative it is: each Latin term weighs its IDF;
   * each Han character weighs the IDF of its rarest bigram, so junk bigrams that straddle two
   * words ("队防" in 黑豹队防守) do not count against a passage that has both words.
   */
  private queryUnits(query: string): QueryUnits {
    const latin = new Map<string, number>();
    const han = new Map<number, { weight: number; terms: string[] }>();
    for (const token of tokenizeWithOffsets(query)) {
      const term = processTerm(token.word);
      if (!term) continue;
      const weight = this.idf(term);
      if (!token.han) {
        latin.set(term, weight);
        continue;
      }
      for (let at = token.start; at < token.end; at++) {
        const unit = han.get(at) ?? { weight: 0, terms: [] };
        unit.weight = Math.max(unit.weight, weight);
        unit.terms.push(term);
        han.set(at, unit);
      }
    }
    let total = 0;
    for (const w of latin.values()) total += w;
    for (const u of han.values()) total += u.weight;
    return { latin, han: [...han.values()], total };
  }

  /** Inverse document frequency; a term no passage has counts as the rarest possible. */
  private idf(term: string): number {
    const n = this.passages.length;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }
}

interface QueryUnits {
  latin: Map<string, number>;
  han: { weight: number; terms: string[] }[];
  total: number;
}

/** Share of the query's weight a passage matched. */
function coverageOf(units: QueryUnits, matched: Set<string>): number {
  let covered = 0;
  for (const [term, weight] of units.latin) if (matched.has(term)) covered += weight;
  for (const unit of units.han) if (unit.terms.some((t) => matched.has(t))) covered += unit.weight;
  return units.total > 0 ? Math.min(1, covered / units.total) : 0;
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

/** Indexes passages for search. */
export function buildIndex(passages: readonly Passage[]): SearchIndex {
  return new SearchIndex(passages);
}
