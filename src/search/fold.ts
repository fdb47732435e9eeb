/**
 * Traditional → simplified Chinese, one character at a time: the index and the query both go
 * through it (tokenize.ts), so a question in either script finds a passage in either. Simplified
 * is the target because the dictionary, the stop words and the shipped corpus are simplified.
 * Every pair keeps the UTF-16 length, so offsets into folded text are offsets into the original.
 */
import { FOLD_SIMPLIFIED, FOLD_TRADITIONAL } from './dictionary/han-fold-table.ts';

/** Lowest code point the table can fold (CJK Extension A; nothing below it is Han). */
const FIRST_HAN = 0x3400;
const FOLD = foldTable(FOLD_TRADITIONAL, FOLD_SIMPLIFIED);

/** The simplified form of one character (a code point), or the character itself. */
export function foldHanCharacter(character: string): string {
  const code = character.charCodeAt(0);
  if (code < FIRST_HAN) return character;
  if (character.length === 1) {
    const slot = FOLD.bmp[code - FIRST_HAN]!;
    return slot === 0 ? character : FOLD.targets[slot]!;
  }
  return FOLD.astral.get(character) ?? character;
}

/** Folds every traditional character of a text to its simplified form; same length as the text. */
export function foldHan(text: string): string {
  // Most text has nothing to fold (simplified, Latin): find that out without building a string.
  let first = -1;
  for (let i = 0; i < text.length && first < 0; i++) {
    const code = text.charCodeAt(i);
    if (code < FIRST_HAN) continue;
    if (code >= 0xd800 && code <= 0xdbff) {
      if (FOLD.astral.has(text.slice(i, i + 2))) first = i;
      i++;
    } else if (code < 0xdc00 || code > 0xdfff) {
      if (FOLD.bmp[code - FIRST_HAN] !== 0) first = i;
    }
  }
  if (first < 0) return text;
  let folded = text.slice(0, first);
  for (const character of text.slice(first)) folded += foldHanCharacter(character);
  return folded;
}

/**
 * The traditional → simplified character pairs CC-CEDICT implies, from its word pairs
 * (`simplified<TAB>glosses<TAB>traditional|…` lines of cedict.tsv): each traditional character
 * goes to the simplified character it most often stands for in words of equal length (乾 → 干 in
 * 128 words). A character that is written as itself in more simplified headwords than it is
 * simplified in (座 197 times, 坐 for it 10) is a simplified character too and stays, so
 * simplified text keeps its words; one that is simplified more often (乾 → 干 128 against 16)
 * folds, in passages and questions alike, unless it is in `keep`. Pairs that would change the
 * UTF-16 length are left out. Returns the pairs sorted by traditional character.
 */
export function deriveFoldPairs(cedictText: string, keep: string = KEPT_CHARACTERS): [traditional: string, simplified: string][] {
  const simplifiedAs = new Map<string, Map<string, number>>();
  const asItself = new Map<string, number>();
  for (const line of cedictText.split('\n')) {
    if (line === '' || line.startsWith('#') || line.startsWith('~')) continue;
    const [word, , traditionalForms] = line.split('\t');
    const simplified = [...word!];
    for (const character of simplified) asItself.set(character, (asItself.get(character) ?? 0) + 1);
    for (const form of traditionalForms?.split('|') ?? []) {
      const traditional = [...form];
      if (traditional.length !== simplified.length) continue;
      traditional.forEach((t, i) => {
        const s = simplified[i]!;
        if (t === s || t.length !== s.length || !HAN.test(t) || !HAN.test(s)) return;
        const counts = simplifiedAs.get(t) ?? new Map<string, number>();
        counts.set(s, (counts.get(s) ?? 0) + 1);
        simplifiedAs.set(t, counts);
      });
    }
  }
  const fold = new Map<string, string>();
  for (const [traditional, counts] of simplifiedAs) {
    const [simplified, count] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
    if (count > (asItself.get(traditional) ?? 0) && !keep.includes(traditional)) fold.set(traditional, simplified);
  }
  // A target that folds again (a variant of a variant) goes to the end of the chain, so folding
  // twice changes nothing.
  const pairs: [string, string][] = [];
  for (const traditional of fold.keys()) {
    let simplified = fold.get(traditional)!;
    for (let hops = 0; fold.has(simplified) && hops < 8; hops++) simplified = fold.get(simplified)!;
    if (simplified !== traditional) pairs.push([traditional, simplified]);
  }
  return pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * Simplified characters in their own right that the counts would fold into a grammatical one:
 * 著 (著名 famous, 著作 work) is also the traditional 着 (the aspect particle of 随着, 有着).
 * Folded, the translation of "known" (著) matched every 着 and XQuAD en→zh lost a question;
 * kept, DRCD measures the same (DESIGN.md, "Traditional and simplified Chinese").
 */
export const KEPT_CHARACTERS = '著';

const HAN = /^\p{Script=Han}$/u;

/**
 * The table as a lookup by code unit for the Basic Multilingual Plane (slot into `targets`, 0 for
 * none) and a map for the rest: the tokenizer asks it for every Han character it reads, and an
 * array lookup costs less than hashing a fresh one-character string.
 */
function foldTable(traditional: string, simplified: string): { bmp: Uint16Array; targets: string[]; astral: Map<string, string> } {
  const from = [...traditional];
  const to = [...simplified];
  if (from.length !== to.length) throw new Error('han-fold-table: the two strings differ in length');
  const bmp = new Uint16Array(0x10000 - FIRST_HAN);
  const targets = [''];
  const astral = new Map<string, string>();
  from.forEach((t, i) => {
    if (t.length === 1) bmp[t.charCodeAt(0) - FIRST_HAN] = targets.push(to[i]!) - 1;
    else astral.set(t, to[i]!);
  });
  return { bmp, targets, astral };
}
