import type { Hit } from './search-index.ts';

/** When a hit is too weak to show. */
export interface GateOptions {
  /** Least share of the query (IDF-weighted words, Han characters) a hit must cover. */
  minCoverage: number;
  /** Least score relative to the best hit. */
  minRelativeScore: number;
}

/**
 * Defaults measured on XQuAD and the shipped corpus's known-answer set (see DESIGN.md): they
 * keep answerable questions and turn away questions the corpus cannot answer.
 */
export const DEFAULT_GATE: GateOptions = { minCoverage: 0.2, minRelativeScore: 0.2 };

/**
 * The confidence gate: keeps hits that cover enough of the query and score close enough to the
 * best one. BM25 scores are relative to the corpus and the query, so no absolute cut-off is used.
 */
export function passGate<T extends Pick<Hit, 'score' | 'coverage'>>(hits: T[], options: GateOptions = DEFAULT_GATE): T[] {
  const best = hits[0]?.score ?? 0;
  return hits.filter((hit) => hit.coverage >= options.minCoverage && hit.score >= best * options.minRelativeScore);
}
