import { segmentChinese, type Dictionary } from './dictionary/dictionary.ts';

/** Most translations we keep for one source word: its main senses, not every gloss. */
export const MAX_TRANSLATIONS = 4;
/** Chinese candidates looked up per English word, before keeping those the corpus uses. */
const REVERSE_CANDIDATES = 16;

/**
 * Turns words of one language into names or words of the other: operator aliases first (they
 * know the corpus's entities), then CC-CEDICT. Pure once built.
 */
export interface Translator {
  /** Dictionary words of a run of Han characters, longest match first. */
  segment(run: string): string[];
  /** English glosses of a Chinese word, main sense first. */
  toEnglish(word: string): readonly string[];
  /** Chinese words for an English word, best first. */
  toChinese(word: string): readonly string[];
  /** How a character is read in transliterated names (卡 → ka); undefined when names do not use it. */
  reading(character: string): string | undefined;
  /** Alias groups: every name of an entity, in any language. */
  readonly aliasGroups: readonly (readonly string[])[];
}

/** A translator that knows no words, for indexes built without a dictionary. */
export const NO_TRANSLATION: Translator = {
  segment: (run) => [run],
  toEnglish: () => [],
  toChinese: () => [],
  reading: () => undefined,
  aliasGroups: [],
};

/**
 * Builds a translator from the dictionary and the operator's alias groups. Glosses that are only
 * usage notes were dropped when the dictionary was built; here a gloss is cut at its first comma
 * ("almaty, previous capital of kazakhstan" → "almaty").
 */
export function createTranslator(dictionary: Dictionary, aliasGroups: readonly (readonly string[])[] = []): Translator {
  // The reverse index is built on first use (~0.3 s): pay it at start-up, not in a user's query.
  dictionary.reverseLookup('warm-up');
  return {
    segment: (run) => segmentChinese(run, dictionary),
    toEnglish: (word) => {
      const glosses = dictionary.lookup(word) ?? [];
      return unique(glosses.map((g) => g.split(',')[0]!.trim()).filter(Boolean));
    },
    toChinese: (word) => dictionary.reverseLookup(word, REVERSE_CANDIDATES),
    reading: (character) => dictionary.reading(character),
    aliasGroups,
  };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
