/**
 * Example questions for /start and /help, taken from the loaded corpus: whoever drops their own
 * documents into data/ gets examples their documents answer, not ones written for the shipped digest.
 */
import { answerQuestion } from './answer.ts';
import type { Passage } from './corpus/types.ts';
import type { SearchIndex } from './search/search-index.ts';
import { CHINESE_FUNCTION_CHARACTER, CHINESE_FUNCTION_WORDS, ENGLISH_STOP_WORDS } from './search/stopwords.ts';
import { foldHan } from './search/fold.ts';
import type { Translator } from './search/translate.ts';

/** Example lookups per language, best first; each one is answered by the index it was taken from. */
export interface Examples {
  en: string[];
  zh: string[];
}

/**
 * Passages read for phrases: fixed, evenly spaced samples, so a million passages cost what a
 * thousand do (Chinese phrases cost more to find: the text is cut into dictionary words first).
 */
export const EN_SAMPLE_PASSAGES = 1000;
export const ZH_SAMPLE_PASSAGES = 400;
/** Examples kept per language, and candidates tried (searched) per language at most. */
const EXAMPLES_PER_LANG = 3;
const CANDIDATES_PER_LANG = 12;

/** A title short enough to type as a lookup: 2–6 English words, or 2–12 Chinese characters. */
const MAX_EN_TITLE_WORDS = 6;
const MAX_EN_EXAMPLE_CHARS = 48;
const MAX_ZH_EXAMPLE_CHARS = 12;
/** Passages of a document read for its title in the text. */
const TITLE_PASSAGES_READ = 5;

/** Capitalised names of two or more words ("Central Asia", "Belt and Road"), or hyphenated ones ("China-Kyrgyzstan"). */
const ENGLISH_NAME = /\b[A-Z][\p{L}\d]*(?:-[A-Z\d][\p{L}\d]*)*(?:\s+(?:(?:and|of|the|for|de)\s+)?[A-Z][\p{L}\d]*(?:-[A-Z\d][\p{L}\d]*)*)*/gu;
/** Endings of English adjectives made from names: Asia → Asian, China → Chinese, Kazakhstan → Kazakhstani. */
const ADJECTIVE_ENDING = /(?:an|ese|ish|i)$/;
const HAN = /\p{Script=Han}/u;
/** A letter or digit of an alphabetic script: what an alias name must not be glued to. */
const WORD_CHARACTER = '[\\p{Script=Latin}\\p{Script=Cyrillic}\\p{Script=Greek}\\d]';
/** Han runs (cut at punctuation, digits, Latin and the 丨 of news headings); Chinese phrases are taken inside them. */
const HAN_RUN = /(?:(?!丨)\p{Script=Han})+/gu;
/** Most characters in a row that no dictionary word joins read as one (unknown) word: a name's length. */
const MAX_UNKNOWN_WORD_CHARS = 4;
/** Longest Chinese phrase counted, in characters: one or two words. */
const ZH_PHRASE_MAX = 10;
/** Characters of a passage read for Chinese phrases: its start says what it is about, and bounds the work. */
const ZH_CHARS_PER_PASSAGE = 150;
/** Characters of a passage searched for the names of alias groups, and groups read at most: bounds the work. */
const ALIAS_CHARS_PER_PASSAGE = 2000;
const MAX_ALIAS_GROUPS = 200;
/**
 * Sampled passages between two uses of a phrase that still count as one stretch of text about it
 * (passages of one document follow each other in the sample).
 */
const STRETCH_GAP = 4;

/** A lookup to try, with the strings its best hit must contain to show it is about that lookup. */
interface Candidate {
  text: string;
  /** Lowercased; a hit containing one (in its text or title) answers the candidate. */
  forms: string[];
}

/**
 * Picks a few example lookups from an index's passages: names and phrases that recur in the
 * passages' text (and the operator's aliases for them), and short document titles, in English and
 * Chinese, keeping only those the answer pipeline answers with a passage that contains them.
 * Deterministic, and bounded by the samples and a dozen searches per language, whatever the corpus size.
 */
export function pickExamples(index: SearchIndex): Examples {
  const titles = shortTitles(index.passages);
  const samples = {
    all: samplePassages(index.passages, ZH_SAMPLE_PASSAGES),
    en: samplePassages(index.passages.filter((p) => p.lang === 'en'), EN_SAMPLE_PASSAGES),
    zh: samplePassages(index.passages.filter((p) => p.lang === 'zh'), ZH_SAMPLE_PASSAGES),
  };
  const aliases = aliasNames(samples.all, index.translator.aliasGroups);
  const english = englishNames(samples.en);
  const chinese = chinesePhrases(samples.zh, index.translator);
  const order = { headlines: headlinesOf([...samples.all, ...samples.en, ...samples.zh]), aliasForms: aliases.forms };
  const candidates = {
    en: orderCandidates(titles.en, rankPhrases(merge(english, aliases.counts.en), wordCount), order),
    zh: orderCandidates(titles.zh, rankPhrases(merge(chinese, aliases.counts.zh), (phrase) => phrase.length), order),
  };
  const answered = (lang: 'en' | 'zh') => {
    const kept: string[] = [];
    const seen = new Set<string>();
    for (const candidate of candidates[lang].slice(0, CANDIDATES_PER_LANG)) {
      const key = candidate.text.toLowerCase();
      if (seen.has(key) || kept.some((k) => k.toLowerCase().includes(key) || key.includes(k.toLowerCase()))) continue;
      seen.add(key);
      if (isAnsweredWithIt(index, candidate)) kept.push(candidate.text);
      if (kept.length === EXAMPLES_PER_LANG) break;
    }
    return kept;
  };
  return { en: answered('en'), zh: answered('zh') };
}

/** Up to `count` examples for a user: in their language first, then in the other one. */
export function examplesFor(examples: Examples, lang: 'en' | 'zh', count = 2): string[] {
  const other = lang === 'en' ? 'zh' : 'en';
  return [...examples[lang], ...examples[other]].slice(0, count);
}

/**
 * Whether the answer pipeline answers a candidate with a passage that contains it: a phrase whose
 * best hit only shares some of its words (a slogan, a fragment) would show a user an unrelated passage.
 */
function isAnsweredWithIt(index: SearchIndex, candidate: Candidate): boolean {
  const top = answerQuestion(index, candidate.text, { limit: 1 }).hits[0];
  if (!top) return false;
  const text = top.passage.text.toLowerCase();
  const title = top.passage.title?.toLowerCase() ?? '';
  return candidate.forms.some((form) => text.includes(form) || title.includes(form));
}

/** Every n-th passage, so the sample spans the whole corpus. */
function samplePassages(passages: readonly Passage[], size: number): Passage[] {
  if (passages.length <= size) return [...passages];
  const step = passages.length / size;
  return Array.from({ length: size }, (_, i) => passages[Math.floor(i * step)]!);
}

/** Short titles by language, most passages first, and whether each is named in its passages' text. */
interface Titles {
  en: { title: string; inText: boolean }[];
  zh: { title: string; inText: boolean }[];
}

/**
 * Titles short enough to be lookups, most passages first (a long document says more about the
 * corpus). A title its passages name ("茶马古道") is a subject; one they never name ("历史的必然",
 * "A shared future") is a headline, and is only tried after the phrases of the text.
 */
function shortTitles(passages: readonly Passage[]): Titles {
  const found = new Map<string, { passages: number; lang: 'en' | 'zh' | null; inText: boolean }>();
  for (const passage of passages) {
    const title = passage.title?.replace(/\s+/g, ' ').trim();
    if (!title) continue;
    let entry = found.get(title);
    if (!entry) found.set(title, (entry = { passages: 0, lang: titleLang(title), inText: false }));
    // Whether the text names the title: read in a document's first passages, and for short titles only.
    if (entry.lang && !entry.inText && entry.passages < TITLE_PASSAGES_READ) entry.inText = passage.text.toLowerCase().includes(title.toLowerCase());
    entry.passages++;
  }
  const ranked = [...found].sort((a, b) => b[1].passages - a[1].passages);
  const of = (lang: 'en' | 'zh') => ranked.filter(([, t]) => t.lang === lang).map(([title, { inText }]) => ({ title, inText }));
  return { en: of('en'), zh: of('zh') };
}

/** The language of a title short enough to type as a lookup, or null for any other title. */
function titleLang(title: string): 'en' | 'zh' | null {
  const words = title.split(' ').length;
  if (/^[\p{Script=Latin}\d][\p{Script=Latin}\d\s'’,.&:-]*$/u.test(title) && words >= 2 && words <= MAX_EN_TITLE_WORDS && title.length <= MAX_EN_EXAMPLE_CHARS) return 'en';
  if (/^[\p{Script=Han}\d]+$/u.test(title) && title.length >= 2 && title.length <= MAX_ZH_EXAMPLE_CHARS) return 'zh';
  return null;
}

/**
 * Candidates in the order they are tried: titles the text names and recurring phrases take turns,
 * so examples show both; then phrases a headline contains (the theme or slogan of an opinion
 * piece: 共同现代化 in 以高质量发展推进共同现代化); titles the text never names come last.
 */
function orderCandidates(titles: Titles['en'], phrases: string[], { headlines, aliasForms }: { headlines: readonly string[]; aliasForms: ReadonlyMap<string, string[]> }): Candidate[] {
  const asTitle = (title: string): Candidate => ({ text: title, forms: [title.toLowerCase()] });
  const asPhrase = (phrase: string): Candidate => ({ text: phrase, forms: aliasForms.get(phrase) ?? [phrase.toLowerCase()] });
  const inHeadline = (candidate: Candidate) => candidate.forms.some((form) => headlines.some((headline) => headline.includes(form)));
  const candidates = phrases.map(asPhrase);
  return [
    ...interleave(titles.filter((t) => t.inText).map((t) => asTitle(t.title)), candidates.filter((c) => !inHeadline(c))),
    ...candidates.filter(inHeadline),
    ...titles.filter((t) => !t.inText).map((t) => asTitle(t.title)),
  ];
}

/** Titles of sampled passages too long to be lookups (headlines), lowercased, each once. */
function headlinesOf(passages: readonly Passage[]): string[] {
  const titles = new Set(passages.map((passage) => passage.title?.replace(/\s+/g, ' ').trim() ?? ''));
  return [...titles].filter((title) => title && !titleLang(title)).map((title) => title.toLowerCase());
}

/**
 * How often a phrase occurs: in how many sampled passages, and in how many at most within one
 * stretch of text about it (passages of one document, each within STRETCH_GAP of the last use).
 */
interface PhraseCount {
  passages: number;
  group: string;
  lastAt: number;
  inStretch: number;
  mostInStretch: number;
}

/** Counts phrases over passages, each passage once per phrase, with the phrases `phrasesOf` finds in it. */
function countPhrases(passages: readonly Passage[], phrasesOf: (passage: Passage, at: number) => Iterable<string>): Map<string, PhraseCount> {
  const counts = new Map<string, PhraseCount>();
  passages.forEach((passage, at) => {
    const group = passage.title || passage.file;
    for (const phrase of new Set(phrasesOf(passage, at))) {
      const count = counts.get(phrase);
      if (!count) {
        counts.set(phrase, { passages: 1, group, lastAt: at, inStretch: 1, mostInStretch: 1 });
        continue;
      }
      count.passages++;
      count.inStretch = count.group === group && at - count.lastAt <= STRETCH_GAP ? count.inStretch + 1 : 1;
      count.group = group;
      count.lastAt = at;
      count.mostInStretch = Math.max(count.mostInStretch, count.inStretch);
    }
  });
  return counts;
}

/** Phrase counts of two samples together; a phrase counted in both keeps its larger count. */
function merge(a: Map<string, PhraseCount>, b: Map<string, PhraseCount>): Map<string, PhraseCount> {
  const merged = new Map(a);
  for (const [phrase, count] of b) {
    const other = merged.get(phrase);
    if (!other || count.passages > other.passages) merged.set(phrase, count);
  }
  return merged;
}

const wordCount = (name: string) => name.split(/[\s-]+/).length;

/**
 * Multi-word names in English text. A match that lists names ("China and Central Asia", where
 * "China" also stands alone) is read as its names; a name ending in an adjective made from another
 * name ("… Central Asian", beside "Asia") is the start of a longer phrase, not a name.
 */
function englishNames(passages: readonly Passage[]): Map<string, PhraseCount> {
  const matches = passages.map((passage) => [...passage.text.matchAll(ENGLISH_NAME)].map(([name]) => withoutLeadingStopWords(name)));
  const standalone = new Set(matches.flat());
  const capitalised = new Set(matches.flat().flatMap((name) => name.split(/[\s-]+/)));
  return countPhrases(passages, function* (_passage, at) {
    for (const match of matches[at]!) {
      for (const name of splitList(match, standalone)) {
        if ((name.includes(' ') || name.includes('-')) && name.length <= MAX_EN_EXAMPLE_CHARS && !endsInAdjective(name, capitalised)) yield name;
      }
    }
  });
}

/**
 * "X and Y" as X and Y when either also stands alone as a name, or both are names of several
 * words ("Caio Duilio and Enrico Dandolo"); "Belt and Road" stays one name.
 */
function splitList(name: string, standalone: ReadonlySet<string>): string[] {
  const parts = name.split(' and ');
  if (parts.length < 2) return [name];
  if (parts.some((part) => standalone.has(part)) || parts.every((part) => part.includes(' '))) return parts.map(withoutLeadingStopWords).filter(Boolean);
  return [name];
}

/** A capitalised run without the sentence's opening words ("The", "In", "Every"). */
function withoutLeadingStopWords(name: string): string {
  const words = name.split(/\s+/);
  while (words.length && ENGLISH_STOP_WORDS.has(words[0]!.toLowerCase())) words.shift();
  return words.join(' ');
}

/** Whether a name's last word is an adjective of another capitalised word: Asian (Asia), Chinese (China), Mexican (Mexico). */
function endsInAdjective(name: string, capitalised: ReadonlySet<string>): boolean {
  const last = name.split(/[\s-]+/).at(-1)!;
  if (!ADJECTIVE_ENDING.test(last)) return false;
  for (let cut = 1; cut <= 3 && last.length - cut >= 3; cut++) {
    const stem = last.slice(0, -cut);
    if (['', 'a', 'e', 'o', 'y'].some((ending) => stem + ending !== last && capitalised.has(stem + ending))) return true;
  }
  return false;
}

/**
 * Chinese phrases of one or two words, from the start of each passage's text (not its title: a
 * headline repeated on every passage of an editorial would outcount what the text is about). The
 * text is cut into dictionary words (the query planner's segmentation); single characters in a
 * row that are not function characters are read as one word — a name the dictionary lacks
 * (中吉乌, 黑豹队); function characters and words separate phrases.
 */
function chinesePhrases(passages: readonly Passage[], translator: Translator): Map<string, PhraseCount> {
  return countPhrases(passages, (passage) => {
    const phrases: string[] = [];
    for (const words of contentWordRuns(passage.text.slice(0, ZH_CHARS_PER_PASSAGE), translator)) {
      for (let i = 0; i < words.length; i++) {
        const word = words[i]!;
        if (word.known && word.text.length >= 2) phrases.push(word.text);
        const next = words[i + 1];
        if (next && (word.known || next.known) && word.text.length + next.text.length <= ZH_PHRASE_MAX) phrases.push(word.text + next.text);
      }
    }
    return phrases;
  });
}

/** A word of Chinese text: a dictionary word, or characters in a row the dictionary does not join. */
interface ChineseWord {
  text: string;
  known: boolean;
}

/**
 * Runs of content words in Chinese text: Han runs cut into dictionary words, split at function
 * characters and words. Single characters in a row (2–4 of them) are read as one unknown word,
 * likely a name (中吉乌, 黑豹队); it is a phrase only beside a dictionary word (中吉乌铁路), since
 * most such runs are bits of sentences. Longer runs of single characters end a run.
 */
function contentWordRuns(text: string, translator: Translator): ChineseWord[][] {
  const runs: ChineseWord[][] = [];
  for (const [han] of text.matchAll(HAN_RUN)) {
    let words: ChineseWord[] = [];
    let unknown = '';
    const cut = () => {
      if (words.length) runs.push(words);
      words = [];
    };
    const endUnknown = () => {
      if (unknown.length >= 2 && unknown.length <= MAX_UNKNOWN_WORD_CHARS) words.push({ text: unknown, known: false });
      else if (unknown) cut();
      unknown = '';
    };
    for (const word of translator.segment(han)) {
      if (isFunctionWord(word)) {
        endUnknown();
        cut();
      } else if (word.length === 1) unknown += word;
      else {
        endUnknown();
        words.push({ text: word, known: true });
      }
    }
    endUnknown();
    cut();
  }
  return runs;
}

/** Function characters and words, in simplified or traditional form (給 as 给). */
const isFunctionWord = (word: string) => CHINESE_FUNCTION_WORDS.has(foldHan(word)) || (word.length === 1 && CHINESE_FUNCTION_CHARACTER.test(foldHan(word)));

/**
 * The operator's aliases (data/aliases.txt) as candidates: each group named in the passages'
 * text is counted under its name in each language, so a corpus written in English gets Chinese
 * examples (中吉乌铁路 for "China-Kyrgyzstan-Uzbekistan railway") and the other way round.
 * `forms` are a name's group, any of which a passage answering it contains.
 */
function aliasNames(passages: readonly Passage[], groups: readonly (readonly string[])[]): { counts: Record<'en' | 'zh', Map<string, PhraseCount>>; forms: Map<string, string[]> } {
  const forms = new Map<string, string[]>();
  /** Every name, lowercased → the examples its group gives in each language. */
  const named = new Map<string, { en?: string; zh?: string }[]>();
  for (const group of groups.slice(0, MAX_ALIAS_GROUPS)) {
    const han = group.filter((name) => HAN.test(name));
    const zh = han.find((name) => /^\p{Script=Han}+$/u.test(name)) ?? han[0];
    const en = group.find((name) => name.length >= 3 && /^[\p{Script=Latin}\d\s'’.&-]+$/u.test(name));
    if (!zh && !en) continue;
    for (const name of group) named.set(name.toLowerCase(), [...(named.get(name.toLowerCase()) ?? []), { en, zh }]);
    for (const name of [zh, en]) if (name) forms.set(name, group.map((n) => n.toLowerCase()));
  }
  const counts = { en: new Map<string, PhraseCount>(), zh: new Map<string, PhraseCount>() };
  if (named.size === 0) return { counts, forms };
  // One pass over each passage for all names, longest first (中吉乌铁路 before 中吉乌). Whole words in
  // alphabetic text (SCO, not disco); Chinese has no spaces, so a Han name is found anywhere.
  const names = [...named.keys()].sort((a, b) => b.length - a.length).map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<!${WORD_CHARACTER})(?:${names.join('|')})(?!${WORD_CHARACTER})`, 'giu');
  const mentions = passages.map((passage) => [...passage.text.slice(0, ALIAS_CHARS_PER_PASSAGE).matchAll(pattern)].flatMap(([name]) => named.get(name.toLowerCase()) ?? []));
  for (const lang of ['en', 'zh'] as const) {
    counts[lang] = countPhrases(passages, (_passage, at) => mentions[at]!.flatMap((group) => (group[lang] ? [group[lang]] : [])));
  }
  return { counts, forms };
}

/**
 * Phrases found in two passages or more, ranked by passages × size × the share of them in one
 * stretch of text: a name that keeps coming back in one document (Nikola Tesla, 特斯拉) says what
 * the corpus is about; one spread thinly over every document (United States, 大部分) does not. A
 * phrase inside a better-ranked one found as often (共同现代 in 共同现代化) is the same phrase cut short.
 */
function rankPhrases(counts: Map<string, PhraseCount>, size: (phrase: string) => number): string[] {
  const score = (phrase: string, c: PhraseCount) => c.passages * size(phrase) * (c.mostInStretch / c.passages);
  const ranked = [...counts]
    .filter(([, c]) => c.passages >= 2)
    .map(([phrase, c]) => ({ phrase, passages: c.passages, score: score(phrase, c) }))
    .sort((a, b) => b.score - a.score || b.phrase.length - a.phrase.length || (a.phrase < b.phrase ? -1 : 1));
  const kept: typeof ranked = [];
  for (const candidate of ranked) {
    if (kept.some((k) => k.passages === candidate.passages && k.phrase.includes(candidate.phrase))) continue;
    kept.push(candidate);
    if (kept.length === CANDIDATES_PER_LANG) break;
  }
  return kept.map((k) => k.phrase);
}

/** a1, b1, a2, b2, …: titles and phrases take turns, so examples show both. */
function interleave<T>(a: T[], b: T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]!);
    if (i < b.length) out.push(b[i]!);
  }
  return out;
}
