import { createRequire } from 'node:module';
import porter2 from 'wink-porter2-stemmer';

/** Base form of every irregular past and participle form (WordNet's list): "won" → "win", "began" → "begin". */
const BASE_FORMS: ReadonlyMap<string, string> = (() => {
  const verbs = createRequire(import.meta.url)('english-verbs-irregular/dist/verbs.json') as Record<string, string[][]>;
  const base = new Map<string, string>();
  for (const [verb, conjugations] of Object.entries(verbs)) {
    for (const form of conjugations.flat()) if (form !== verb && !base.has(form)) base.set(form, verb);
  }
  return base;
})();

/** Stems already computed (Porter2 takes ~8 µs a word; a query's glosses repeat words), up to a bound. */
const memo = new Map<string, string>();
const MEMO_LIMIT = 100_000;

/** Words this short are kept as they are: stemming them conflates more than it joins. */
const MIN_STEM_CHARS = 4;

/**
 * The stem an English word is indexed and searched by. Questions ask "when did he die" of text
 * that says "died", and "who won" of "win": irregular verbs go to their base form, then Porter2
 * (Snowball English) stems, which unlike the original Porter joins die/died/dies/dying.
 */
export function stemEnglish(word: string): string {
  let stem = memo.get(word);
  if (stem === undefined) {
    const base = BASE_FORMS.get(word) ?? word;
    stem = base.length < MIN_STEM_CHARS ? base : porter2(base);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(word, stem);
  }
  return stem;
}
