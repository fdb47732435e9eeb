import { titleOf } from './corpus/passage.ts';
import type { Passage } from './corpus/types.ts';
import type { Hit, SearchIndex } from './search/search-index.ts';

/** Longest question we search; the rest is ignored so a pasted essay cannot stall the bot. */
export const MAX_QUESTION_CHARS = 500;

/** Hits for one question, one page of them, and whether more follow. */
export interface Answer {
  /** The question as searched (trimmed, whitespace collapsed, capped). */
  query: string;
  hits: Hit[];
  /** Index of the first hit on this page among all hits. */
  offset: number;
  /** Number of hits that passed the confidence gate, on all pages. */
  total: number;
}

export interface AnswerOptions {
  limit?: number;
  offset?: number;
  /** The question is still being typed (inline mode). */
  typing?: boolean;
}

/** Normalises a question the way every surface (CLI, chat, inline) should see it. */
export function normalizeQuestion(question: string): string {
  const text = question
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // Cut by code points, so an emoji at the limit is not split into half a surrogate pair.
  const chars = [...text];
  return chars.length > MAX_QUESTION_CHARS ? chars.slice(0, MAX_QUESTION_CHARS).join('').trim() : text;
}

/** The one answer pipeline shared by the `ask` command and the bot: question → page of hits. */
export function answerQuestion(index: SearchIndex, question: string, options: AnswerOptions = {}): Answer {
  const { limit = 3, offset = 0, typing = false } = options;
  const query = normalizeQuestion(question);
  const all = query ? index.search(query, { typing }) : [];
  return { query, hits: all.slice(offset, offset + limit), offset, total: all.length };
}

/**
 * The parts of a passage's attribution, in reading order: title (the file name's when the document
 * has none) · publisher · date · section · ¶ refs.
 */
export function sourceParts(passage: Passage): string[] {
  const parts = [titleOf(passage), passage.publisher, passage.date, passage.section].filter(
    (part): part is string => !!part,
  );
  if (passage.refs.length) parts.push(`¶ ${passage.refs.join(', ')}`);
  return parts;
}
