import { foldHan } from './fold.ts';
import { processTerm, tokenize, tokenizeWithOffsets, type Token } from './tokenize.ts';
import { MAX_TRANSLATIONS, type Translator } from './translate.ts';
import { CHINESE_QUESTION_PHRASES, CHINESE_STOP_TERMS } from './stopwords.ts';
import { pinyinSoundKey, romanizePinyin, soundDistance } from './sound.ts';

/** A way of saying one part of the query in the corpus: terms that must all match. */
export type Alternative = readonly string[];

/**
 * One source word (or alias name) of the query and its translations. Matching any alternative
 * counts once, so a word with twelve glosses does not outweigh a word with one.
 */
export interface Concept {
  /** Query positions (UTF-16 offsets) the concept stands for. */
  positions: number[];
  alternatives: Alternative[];
  /**
   * 'alias' concepts come from the operator's aliases file and weigh like the original words;
   * the others are dictionary translations of a Chinese word into English (or the corpus's Latin
   * words that sound like a name the dictionary lacks), or of an English word into Chinese.
   */
  kind: 'alias' | 'to-english' | 'to-chinese';
}

/** A part of the query the confidence gate weighs: a Latin word, or one Han character. */
export interface Unit {
  weight: number;
  /** Original terms that satisfy this unit (the word, or the Han bigrams covering the character). */
  terms: string[];
  /** Concepts that also satisfy it, by index into `QueryPlan.concepts`. */
  concepts: number[];
}

/** What a query asks for: its own terms, their translations, and how to weigh a match. */
export interface QueryPlan {
  /** Distinct processed terms of the query itself. */
  terms: string[];
  concepts: Concept[];
  units: Unit[];
  totalWeight: number;
  /**
   * Whether the question asks for a quantity or a date (how many, when, 多少, 何时): its answer
   * is then most likely a sentence with a number in it.
   */
  asksForNumber: boolean;
}

/** What planning needs to know about the corpus. */
export interface Vocabulary {
  /** Whether any passage has this (processed) term. */
  has(term: string): boolean;
  /** Inverse document frequency of a term; unknown terms are the rarest. */
  idf(term: string): number;
  /** Number of passages that have the term. */
  df(term: string): number;
  /** The corpus's Latin words with this sound key (see sound.ts). */
  soundingLike(key: string): string[];
}

/** Most distinct terms of its own a query searches with: its most informative ones. */
export const MAX_QUERY_TERMS = 32;
/**
 * Share of its weight that a bigram straddling two dictionary words of the question (队在, 赛中)
 * gives the characters it covers. Such bigrams are rare everywhere, so at full weight a passage
 * that happens to share one looked as well covered as one that has the question's words.
 */
export const STRADDLING_BIGRAM_WEIGHT = 0.5;
/** Most concepts (aliases, translations) a query adds. */
export const MAX_CONCEPTS = 12;
/**
 * Most postings (passages per term, summed over the terms searched) one query may read. A search
 * costs time in proportion to the postings it reads, and the terms with the longest lists (中国,
 * common English words) tell the least: rarer terms are chosen first, so common ones are left
 * out of a large corpus and kept in a small one.
 */
export const POSTING_BUDGET = 30_000;

/** What is left of a query's posting budget. */
interface Budget {
  left: number;
}

/** Spends `cost` postings of the budget, if it has them. */
function afford(budget: Budget, cost: number): boolean {
  if (cost > budget.left) return false;
  budget.left -= cost;
  return true;
}

/** What the concept finders share while one query is planned: they add to `concepts` and `aliased`. */
interface Planning {
  translator: Translator;
  vocabulary: Vocabulary;
  concepts: Concept[];
  /** Query positions an alias name covers: no other concept is sought there. */
  aliased: Set<number>;
  budget: Budget;
}

/**
 * The terms worth searching with: rarest first, at most MAX_QUERY_TERMS, within the posting
 * budget (the rarest term is always kept). Bounds the work of every query, however long or odd
 * the question.
 */
export function selectTerms(terms: readonly string[], vocabulary: Vocabulary, budget: Budget = { left: POSTING_BUDGET }): Set<string> {
  const ranked = [...new Set(terms)]
    .map((term, order) => ({ term, order, df: vocabulary.df(term) }))
    .sort((a, b) => a.df - b.df || a.order - b.order);
  const selected = new Set<string>();
  for (const { term, df } of ranked) {
    if (selected.size >= MAX_QUERY_TERMS || (selected.size > 0 && df > budget.left)) break;
    selected.add(term);
    budget.left -= df;
  }
  return selected;
}

/**
 * Plans a query: its terms, the aliases and dictionary translations of its words that occur in
 * the corpus (Chinese words → English glosses, names → Latin words that sound like them, English
 * words → Chinese words), and the weighted units the confidence gate measures coverage against.
 */
export function planQuery(query: string, translator: Translator, vocabulary: Vocabulary): QueryPlan {
  // Question words, stop words, name readings and dictionary words are looked for in the folded
  // question (same length, so its offsets are the question's): they are simplified, and the
  // dictionary also holds the folded forms of its words (頒佈 → 颁布, 乾隆 → 干隆).
  const folded = foldHan(query);
  const withinQuestionWord = questionPhrasesOf(folded);
  const words = segmentHan(folded, translator);
  const allTokens = tokenizeWithOffsets(query)
    .map((token) => ({ ...token, term: processTerm(token.word) }))
    .filter((t): t is Token & { term: string } => t.term !== null && !(t.han && withinQuestionWord(t)));
  const budget: Budget = { left: POSTING_BUDGET };
  const selected = selectTerms(allTokens.map((t) => t.term), vocabulary, budget);
  const tokens = allTokens.filter((t) => selected.has(t.term));
  const concepts: Concept[] = [];
  const aliased = new Set<number>();
  const planning: Planning = { translator, vocabulary, concepts, aliased, budget };
  // Aliases are found in the whole question: a name may contain a common word ("China-…").
  addAliasConcepts(allTokens, planning);
  addHanConcepts(words.filter((word) => !withinQuestionWord(word)), planning);
  addSoundConcepts(folded, planning);
  // One concept per distinct word, however often the question repeats it.
  const byWord = new Map<string, Concept>();
  for (const token of tokens) {
    if (token.han || aliased.has(token.start)) continue;
    const word = token.word.toLowerCase();
    let concept = byWord.get(word);
    if (!concept) {
      concept = { positions: [], alternatives: translations(translator.toChinese(word), vocabulary), kind: 'to-chinese' };
      byWord.set(word, concept);
    }
    concept.positions.push(token.start);
  }
  addWithinBudget([...byWord.values()], planning);
  concepts.splice(MAX_CONCEPTS);

  const units: Unit[] = [];
  const latin = new Map<string, Unit>();
  const han = new Map<number, Unit>();
  // An alias names one entity: its Han characters (阿拉木图, 哈萨克斯坦) weigh as one unit, so a long
  // transliterated name does not outweigh the rest of the question.
  concepts.forEach((concept, i) => {
    if (concept.kind !== 'alias') return;
    const inside = allTokens.filter((t) => t.han && concept.positions.includes(t.start));
    if (inside.length === 0) return;
    const unit: Unit = { weight: Math.max(...inside.map((t) => vocabulary.idf(t.term))), terms: [], concepts: [i] };
    units.push(unit);
    for (const at of concept.positions) han.set(at, unit);
  });
  // Where the question's dictionary words end: a bigram across such a boundary (队在 in 野马队在)
  // is not a word of the question.
  const wordEnds = new Set(words.map((w) => w.end));
  for (const token of tokens) {
    const straddles = token.han && token.end - token.start === 2 && wordEnds.has(token.start + 1);
    const weight = vocabulary.idf(token.term) * (straddles ? STRADDLING_BIGRAM_WEIGHT : 1);
    if (!token.han) {
      const unit = latin.get(token.term) ?? { weight, terms: [token.term], concepts: [] };
      if (!latin.has(token.term)) {
        latin.set(token.term, unit);
        units.push(unit);
      }
      addConceptsAt(unit, token.start, concepts);
      continue;
    }
    for (let at = token.start; at < token.end; at++) {
      let unit = han.get(at);
      if (!unit) {
        unit = { weight: 0, terms: [], concepts: [] };
        han.set(at, unit);
        units.push(unit);
        addConceptsAt(unit, at, concepts);
      }
      // A character weighs as much as its rarest bigram, a straddling one at a discount: it is
      // rare in any corpus, but matching it says little (DESIGN.md, "Confidence gate").
      if (!unit.concepts.some((i) => concepts[i]!.kind === 'alias')) unit.weight = Math.max(unit.weight, weight);
      if (!unit.terms.includes(token.term)) unit.terms.push(token.term);
    }
  }
  const terms = [...new Set(tokens.map((t) => t.term))];
  return { terms, concepts, units, totalWeight: units.reduce((sum, u) => sum + u.weight, 0), asksForNumber: NUMBER_QUESTION.test(folded) };
}

/** Whether a span of the query lies within one of its CHINESE_QUESTION_PHRASES (searched and translated neither). */
function questionPhrasesOf(query: string): (span: { start: number; end: number }) => boolean {
  const phrases = [...query.matchAll(CHINESE_QUESTION_PHRASES)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  return (span) => phrases.some((p) => span.start >= p.start && span.end <= p.end);
}

/** Question words that ask for a quantity or a date, in English and Chinese. */
const NUMBER_QUESTION =
  /多少|几(?!乎)|何时|什么时候|哪一?年|哪个世纪|\bhow (?:many|much|long|old|far)\b|\bwhen\b|\bwhat (?:year|century|decade|date|percentage|percent|number|amount)\b|\bin which year\b/i;

/** How well a passage matches a plan, from the terms it matched (see matchOf). */
export interface Match {
  /** Share of the plan's weight matched, 0–1: what the confidence gate measures. */
  coverage: number;
  /**
   * How many of the query's own terms and concepts matched: a translation counts once however
   * many terms (bigrams) it has, and however many of its alternatives matched.
   */
  matched: number;
}

/** Coverage and matched count of a passage that matched `matched` (processed terms). */
export function matchOf(plan: QueryPlan, matched: ReadonlySet<string>): Match {
  const conceptMatched = plan.concepts.map((c) => c.alternatives.some((alt) => alt.every((t) => matched.has(t))));
  let covered = 0;
  for (const unit of plan.units) {
    if (unit.terms.some((t) => matched.has(t)) || unit.concepts.some((i) => conceptMatched[i])) covered += unit.weight;
  }
  const count = plan.terms.filter((t) => matched.has(t)).length + conceptMatched.filter(Boolean).length;
  return { coverage: plan.totalWeight > 0 ? Math.min(1, covered / plan.totalWeight) : 0, matched: count };
}

/** See Match.matched. */
export function matchedCount(plan: QueryPlan, matched: ReadonlySet<string>): number {
  return matchOf(plan, matched).matched;
}

function addConceptsAt(unit: Unit, position: number, concepts: Concept[]): void {
  concepts.forEach((concept, i) => {
    if (concept.positions.includes(position) && !unit.concepts.includes(i)) unit.concepts.push(i);
  });
}

/**
 * The terms of a phrase that the corpus has, or null when too few of them are there: all of a
 * one- or two-word phrase, at least two of a longer one ("zero-sum game" → zero, sum).
 */
function termsInCorpus(phrase: string, vocabulary: Vocabulary): Alternative | null {
  const terms = [...new Set(tokenize(phrase).map(processTerm).filter((t): t is string => t !== null))];
  const present = terms.filter((t) => vocabulary.has(t));
  const enough = present.length === terms.length || (terms.length > 2 && present.length >= 2);
  return present.length && enough ? present : null;
}

/** The first few translations that the corpus actually uses, as alternatives (kept within the budget by addWithinBudget). */
function translations(phrases: readonly string[], vocabulary: Vocabulary): Alternative[] {
  const alternatives: Alternative[] = [];
  const seen = new Set<string>();
  for (const phrase of phrases) {
    const terms = termsInCorpus(phrase, vocabulary);
    if (!terms || seen.has(terms.join(' '))) continue;
    seen.add(terms.join(' '));
    alternatives.push(terms);
    if (alternatives.length >= MAX_TRANSLATIONS) break;
  }
  return alternatives;
}

/**
 * Finds alias names in the query by their term sequence (so "People's Daily" and "中国—中亚精神"
 * match however they are spaced), and adds the other names of each entity as a concept.
 */
function addAliasConcepts(tokens: (Token & { term: string })[], planning: Planning): void {
  const { translator, aliased, vocabulary } = planning;
  const terms = tokens.map((t) => t.term);
  for (const group of translator.aliasGroups) {
    const names = group.map((name) => tokenize(name).map(processTerm).filter((t): t is string => t !== null));
    names.forEach((name, n) => {
      if (name.length === 0) return;
      for (let i = 0; i + name.length <= terms.length; i++) {
        if (!name.every((t, k) => terms[i + k] === t)) continue;
        const span = tokens.slice(i, i + name.length);
        const alternatives = translations(group.filter((_, m) => m !== n), vocabulary);
        for (const token of span) for (const at of range(token.start, token.end)) aliased.add(at);
        addWithinBudget([{ positions: span.flatMap((t) => range(t.start, t.end)), alternatives, kind: 'alias' }], planning);
      }
    });
  }
}

interface Word {
  text: string;
  start: number;
  end: number;
}

/** The dictionary words of every Han run in the query, with their offsets. */
function segmentHan(query: string, translator: Translator): Word[] {
  const words: Word[] = [];
  for (const run of query.matchAll(/\p{Script=Han}+/gu)) {
    let at = run.index;
    for (const text of translator.segment(run[0])) {
      words.push({ text, start: at, end: at + text.length });
      at += text.length;
    }
  }
  return words;
}

/** Adds the English translations of the query's Chinese words. */
function addHanConcepts(words: Word[], planning: Planning): void {
  const { translator, vocabulary, aliased } = planning;
  const found: Concept[] = [];
  for (const word of words) {
    // Single characters are too ambiguous to translate; aliases already covered their span.
    if ([...word.text].length < 2 || CHINESE_STOP_TERMS.has(word.text) || aliased.has(word.start)) continue;
    const alternatives = translations(translator.toEnglish(word.text), vocabulary);
    if (alternatives.length) found.push({ positions: range(word.start, word.end), alternatives, kind: 'to-english' });
  }
  addWithinBudget(found, planning);
}

/**
 * Adds concepts, keeping of their alternatives what the posting budget affords: every concept's
 * first alternative before any concept's second, and so on. Taken word by word, the first words
 * of a long question spent the budget on their third and fourth senses and the last words got
 * none.
 */
function addWithinBudget(found: readonly Concept[], { vocabulary, concepts, budget }: Planning): void {
  const kept: Alternative[][] = found.map(() => []);
  for (let round = 0; round < MAX_TRANSLATIONS; round++) {
    found.forEach((concept, i) => {
      const alternative = concept.alternatives[round];
      if (alternative && afford(budget, alternative.reduce((sum, t) => sum + vocabulary.df(t), 0))) kept[i]!.push(alternative);
    });
  }
  found.forEach((concept, i) => {
    if (kept[i]!.length) concepts.push({ ...concept, alternatives: kept[i]! });
  });
}

/** Longest name, in characters, looked up by sound. */
const MAX_NAME_CHARACTERS = 8;
/** Least consonant classes a name's sound key needs: shorter keys (曼宁 → MN) sound like too many words. */
const MIN_SOUND_KEY = 3;
/** Farthest a Latin word may sound from a name (soundDistance) and still be taken for it. */
const MAX_SOUND_DISTANCE = 0.45;
/** Words kept besides the closest one: those at most this much farther. */
const SOUND_DISTANCE_MARGIN = 0.1;
/** Most stretches of a question looked up by sound: bounds the work on a long run of name characters. */
const MAX_SOUND_LOOKUPS = 64;

/**
 * Adds the corpus's Latin words that sound like the names of the question no translation or
 * alias covers (麦特琳 → Matlin, 卡罗莱纳 → Carolina): CC-CEDICT lacks most names of people, teams
 * and small places. A name is part of a stretch of characters used in transliteration
 * (Translator.reading): from the stretch's left, the part that sounds closest to some word.
 */
function addSoundConcepts(query: string, planning: Planning): void {
  const { translator, concepts, aliased } = planning;
  const covered = new Set(aliased);
  for (const concept of concepts) for (const at of concept.positions) covered.add(at);
  const isNameCharacter = (at: number) => !covered.has(at) && translator.reading(query[at]!) !== undefined;
  const lookups = { left: MAX_SOUND_LOOKUPS };
  for (let at = 0; at < query.length && lookups.left > 0; at++) {
    if (!isNameCharacter(at)) continue;
    let end = at;
    while (end < query.length && isNameCharacter(end)) end++;
    for (let start = at; start + 2 <= end && lookups.left > 0; ) {
      const name = closestName(query, start, end, planning, lookups);
      if (!name) {
        start++;
        continue;
      }
      addWithinBudget([{ positions: range(start, name.end), alternatives: name.words.map((word) => [word]), kind: 'to-english' }], planning);
      start = name.end;
    }
    at = end;
  }
}

/**
 * Of the names that start at `start` and end by `end` (2 to MAX_NAME_CHARACTERS characters), the
 * one that sounds closest to a word of the corpus: where it ends, and the words within
 * SOUND_DISTANCE_MARGIN of the closest.
 */
function closestName(
  query: string,
  start: number,
  end: number,
  { translator, vocabulary }: Planning,
  lookups: { left: number },
): { end: number; words: string[] } | null {
  let best: { end: number; distance: number; words: string[] } | null = null;
  for (let stop = Math.min(end, start + MAX_NAME_CHARACTERS); stop >= start + 2 && lookups.left > 0; stop--, lookups.left--) {
    const found = wordsSoundingLike([...query.slice(start, stop)].map((c) => translator.reading(c)!), vocabulary);
    const closest = found[0]?.distance;
    if (closest === undefined || (best && best.distance <= closest)) continue;
    best = { end: stop, distance: closest, words: found.filter((f) => f.distance <= closest + SOUND_DISTANCE_MARGIN).map((f) => f.word) };
  }
  return best;
}

/** The corpus's Latin words that sound like a name read as `syllables`, closest first. */
function wordsSoundingLike(syllables: string[], vocabulary: Vocabulary): { word: string; distance: number }[] {
  const key = pinyinSoundKey(syllables);
  if (key.length < MIN_SOUND_KEY) return [];
  const name = romanizePinyin(syllables);
  return vocabulary
    .soundingLike(key)
    .filter((word) => Math.abs(word.length - name.length) <= MAX_SOUND_DISTANCE * Math.max(word.length, name.length))
    .map((word) => ({ word, distance: soundDistance(name, word) }))
    .filter((f) => f.distance <= MAX_SOUND_DISTANCE)
    .sort((a, b) => a.distance - b.distance || a.word.localeCompare(b.word));
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}
