/**
 * How a name sounds, roughly, in both scripts: so that a Chinese question can find a name the
 * dictionary lacks (麦特琳 mai te lin → Matlin, 卡罗莱纳 → Carolina) among the corpus's Latin words.
 * Pure; the readings of the characters come from the dictionary (Dictionary.reading).
 */

/**
 * Consonant classes that transliteration keeps apart: Chinese has no l/r, b/p or d/t contrast as
 * English spells it, so each class is one letter of the key. Vowels, h and y are left out.
 */
const LATIN_CLASS: Record<string, string> = {
  b: 'P', p: 'P', d: 'T', t: 'T', g: 'K', k: 'K', q: 'K', c: 'K', l: 'L', r: 'L',
  f: 'F', v: 'F', w: 'F', m: 'M', n: 'N', s: 'S', z: 'S', x: 'S', j: 'S',
};

/**
 * A Latin word's sound key: its consonant classes in order, repeats collapsed (Matlin → MTLN,
 * Carolina → KLN). Digraphs first: ph is F; sh, ch, th… — sh/ch/ts/tz/zh are S; ck and qu are K;
 * c before e, i, y is S; a final ng is N.
 */
export function latinSoundKey(word: string): string {
  const w = word.toLowerCase();
  let key = '';
  const push = (c: string) => {
    if (key[key.length - 1] !== c) key += c;
  };
  for (let i = 0; i < w.length; i++) {
    const c = w[i]!;
    const next = w[i + 1];
    if (c === 'p' && next === 'h') {
      push('F');
      i++;
    } else if ((c === 's' || c === 'c' || c === 'z') && next === 'h') {
      push('S');
      i++;
    } else if (c === 't' && (next === 's' || next === 'z')) {
      push('S');
      i++;
    } else if ((c === 'c' && next === 'k') || (c === 'q' && next === 'u')) {
      push('K');
      i++;
    } else if (c === 'c') {
      push(next === 'e' || next === 'i' || next === 'y' ? 'S' : 'K');
    } else if (c === 'g' && i === w.length - 1 && w[i - 1] === 'n') {
      // -ng ends on the nasal: Manning, Qing
    } else if (LATIN_CLASS[c]) {
      push(LATIN_CLASS[c]);
    }
  }
  return key;
}

/** Pinyin initials (longest first) → consonant class; h, y and a zero initial add nothing. */
const INITIALS: [string, string][] = [
  ['zh', 'S'], ['ch', 'S'], ['sh', 'S'], ['b', 'P'], ['p', 'P'], ['m', 'M'], ['f', 'F'], ['d', 'T'], ['t', 'T'],
  ['n', 'N'], ['l', 'L'], ['g', 'K'], ['k', 'K'], ['h', ''], ['j', 'S'], ['q', 'S'], ['x', 'S'], ['r', 'L'],
  ['z', 'S'], ['c', 'S'], ['s', 'S'], ['y', ''], ['w', 'F'],
];

/**
 * The sound key of toneless pinyin syllables, in the classes of latinSoundKey: the initial's
 * class, then N for a final -n or -ng; 尔 (er) stands for an r or l.
 */
export function pinyinSoundKey(syllables: readonly string[]): string {
  let key = '';
  const push = (c: string) => {
    if (c && key[key.length - 1] !== c) key += c;
  };
  for (const syllable of syllables) {
    if (syllable === 'er') {
      push('L');
      continue;
    }
    const initial = INITIALS.find(([letters]) => syllable.startsWith(letters));
    push(initial?.[1] ?? '');
    if (syllable.endsWith('n') || syllable.endsWith('ng')) push('N');
  }
  return key;
}

/**
 * Toneless pinyin spelled the way English transliterations spell it (zh → j, x → s, q → ch,
 * uo → o, -ing → -in), for soundDistance: 卡罗莱纳 ka luo lai na → kalolaina.
 */
export function romanizePinyin(syllables: readonly string[]): string {
  return syllables
    .map((s) =>
      s === 'er'
        ? 'r'
        : s
            .replace(/^zh/, 'j')
            .replace(/^x/, 's')
            .replace(/^q/, 'ch')
            .replace(/^c(?!h)/, 'ts')
            .replace(/(?:uo|ou)$/, 'o')
            .replace(/ei$/, 'e')
            .replace(/(?<=[eiao])ng$/, 'n')
            .replace(/ong$/, 'on'),
    )
    .join('');
}

const VOWEL = /[aeiouy]/;
/** Letters a transliteration swaps freely: a swap within a class costs little. */
const LETTER_CLASS: Record<string, string> = { ...LATIN_CLASS, a: 'V', e: 'V', i: 'V', o: 'V', u: 'V', y: 'V' };

/**
 * How far a romanized Chinese name is from a Latin word, 0 (the same) to about 1: an edit
 * distance where swapping letters of one class (k/c/g, l/r, vowels) and adding or dropping a vowel
 * or h cost less than other edits, divided by the longer length.
 */
export function soundDistance(romanized: string, word: string): number {
  const a = romanized;
  const b = word.toLowerCase();
  if (a.length === 0 || b.length === 0) return 1;
  const gap = (c: string) => (VOWEL.test(c) || c === 'h' ? 0.5 : 1);
  let previous = [0];
  for (let j = 1; j <= b.length; j++) previous.push(previous[j - 1]! + gap(b[j - 1]!));
  for (let i = 1; i <= a.length; i++) {
    const x = a[i - 1]!;
    const current = [previous[0]! + gap(x)];
    for (let j = 1; j <= b.length; j++) {
      const y = b[j - 1]!;
      const swap = x === y ? 0 : LETTER_CLASS[x] !== undefined && LETTER_CLASS[x] === LETTER_CLASS[y] ? (VOWEL.test(x) ? 0.5 : 0.3) : 1;
      current.push(Math.min(previous[j]! + gap(x), current[j - 1]! + gap(y), previous[j - 1]! + swap));
    }
    previous = current;
  }
  return previous[b.length]! / Math.max(a.length, b.length);
}
