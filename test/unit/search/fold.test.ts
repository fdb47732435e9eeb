import { describe, expect, it } from 'vitest';
import { loadDictionary } from '../../../src/search/dictionary/dictionary.ts';
import { createHash } from 'node:crypto';
import { FOLD_SIMPLIFIED, FOLD_TRADITIONAL } from '../../../src/search/dictionary/han-fold-table.ts';
import { deriveFoldPairs, foldHan, foldHanCharacter } from '../../../src/search/fold.ts';
import { planQuery } from '../../../src/search/query-plan.ts';
import { buildIndex, INDEX_FORMAT_VERSION } from '../../../src/search/search-index.ts';
import { highlight } from '../../../src/search/snippet.ts';
import { hanCharacters, tokenize, tokenizeWithOffsets } from '../../../src/search/tokenize.ts';
import { createTranslator, NO_TRANSLATION } from '../../../src/search/translate.ts';
import { passageOf } from '../../support/passage.ts';

const passage = (id: string, text: string) => passageOf(id, text, { docId: id });
const marked = (text: string, terms: string[]) => highlight(text, terms).filter((s) => s.match).map((s) => s.text);

describe('foldHan', () => {
  it('folds traditional characters to simplified, the one-to-many ones to their usual form', () => {
    expect(foldHan('後來頭髮乾了，位於臺灣')).toBe('后来头发干了，位于台湾');
  });

  it('leaves simplified text, Latin letters, digits and emoji as they are', () => {
    const text = '中吉乌铁路 2024 年 Railway 🚄 进展顺利';
    expect(foldHan(text)).toBe(text);
  });

  it('keeps 著, a simplified character in its own right (著名), apart from the particle 着', () => {
    expect(foldHanCharacter('著')).toBe('著');
    expect(foldHan('著名')).toBe('著名');
  });

  it('keeps the length of any text, so offsets into folded text are offsets into the original', () => {
    expect(foldHan(FOLD_TRADITIONAL).length).toBe(FOLD_TRADITIONAL.length);
    expect(foldHan(FOLD_TRADITIONAL)).toBe(FOLD_SIMPLIFIED);
  });

  it('changes nothing when folding twice', () => {
    expect(foldHan(FOLD_SIMPLIFIED)).toBe(FOLD_SIMPLIFIED);
  });

  it('is the table this index format was made with (a new table needs a new INDEX_FORMAT_VERSION, or old snapshots would load)', () => {
    const table = createHash('sha256').update(FOLD_TRADITIONAL + FOLD_SIMPLIFIED).digest('hex').slice(0, 16);
    expect({ INDEX_FORMAT_VERSION, table }).toEqual({ INDEX_FORMAT_VERSION: 7, table: '8568c096207132a5' });
  });
});

describe('the dictionary and the fold', () => {
  const dictionary = loadDictionary();

  it('knows the folded form of a word whose characters the fold changes', () => {
    expect(dictionary.lookup('干隆')).toEqual(dictionary.lookup('乾隆')); // simplified 乾隆, 乾 folded
    expect(dictionary.lookup(foldHan('不著痕跡'))).toEqual(dictionary.lookup('不着痕迹')); // 著 kept, 跡 folded
  });
});

describe('deriveFoldPairs', () => {
  const cedict = [
    '# comment',
    '~兰\tlan',
    '后来\tafterwards\t後來',
    '皇后\tempress',
    '头发\thair\t頭髮',
    '发现\tdiscover\t發現',
    '座位\tseat',
    '座谈\tdiscussion',
    '坐下\tsit down\t座下',
    '乐园\tparadise\t樂園|乐園',
    '鲁迅\tlu xun\t魯𨑨',
  ].join('\n');

  it('pairs each traditional character with the simplified one its words use most, leaving pairs of unequal length (𨑨)', () => {
    expect(deriveFoldPairs(cedict, '')).toEqual([
      ['來', '来'],
      ['園', '园'],
      ['後', '后'],
      ['樂', '乐'],
      ['現', '现'],
      ['發', '发'],
      ['頭', '头'],
      ['髮', '发'],
      ['魯', '鲁'],
    ]);
  });

  it('leaves a character written as itself in more simplified words than it is simplified in (座)', () => {
    expect(deriveFoldPairs(cedict, '').map(([t]) => t)).not.toContain('座');
  });

  it('leaves the characters it is told to keep', () => {
    expect(deriveFoldPairs(cedict, '後').map(([t]) => t)).not.toContain('後');
  });

  it('follows a chain of variants to its end', () => {
    expect(deriveFoldPairs('乙\tb\t甲\n丙\tc\t乙\n丙丙\tcc\t乙乙', '')).toEqual([
      ['乙', '丙'],
      ['甲', '丙'],
    ]);
  });
});

describe('tokenizing folds both scripts to one', () => {
  it('gives a traditional text the tokens of its simplified form, at the same offsets', () => {
    const traditional = '後來，臺灣鐵路與歐洲國家合作。';
    const simplified = '后来，台湾铁路与欧洲国家合作。';
    expect(tokenizeWithOffsets(traditional)).toEqual(tokenizeWithOffsets(simplified));
    expect(hanCharacters(traditional)).toEqual(hanCharacters(simplified));
  });

  it('treats traditional particles and question words like simplified ones', () => {
    expect(tokenize('這個們嗎')).toEqual(tokenize('这个们吗'));
  });

  it('highlights the traditional characters of a passage that matched simplified terms', () => {
    const text = '臺灣的鐵路網絡很發達。';
    expect(marked(text, tokenize('铁路网络'))).toEqual(['鐵路網絡']);
    expect(marked(text, ['台湾'])).toEqual(['臺灣']);
  });
});

describe('searching across scripts', () => {
  const index = buildIndex([
    passage('trad', '中吉烏鐵路項目進展順利，雙方加強合作。'),
    passage('simp', '哈萨克斯坦的太阳能发电站已经投入运营。'),
    passage('other', '边境口岸的货运量今年增长了三成。'),
  ]);

  it('finds a traditional passage with a simplified question, and back', () => {
    expect(index.search('中吉乌铁路进展如何？').map((h) => h.passage.id)[0]).toBe('trad');
    expect(index.search('哈薩克斯坦的太陽能發電站').map((h) => h.passage.id)[0]).toBe('simp');
  });

  it('reports the matched terms in simplified, which highlight the traditional text', () => {
    const [hit] = index.search('中吉乌铁路');
    expect(hit!.passage.id).toBe('trad');
    expect(marked(hit!.passage.text, hit!.terms)).toEqual(['中吉烏鐵路']);
  });

  it('translates a traditional question word by word, as a simplified one', () => {
    const translator = createTranslator(loadDictionary());
    const english = buildIndex([passage('rail', 'The new railway links the two countries.'), passage('gas', 'The pipeline carries natural gas.')], translator);
    expect(english.search('新鐵路').map((h) => h.passage.id)[0]).toBe('rail');
    const vocabulary = { has: () => true, idf: () => 1, df: () => 1, soundingLike: () => [] };
    const concepts = (q: string) => planQuery(q, translator, vocabulary).concepts.map((c) => c.alternatives);
    expect(concepts('什麼是鐵路？')).toEqual(concepts('什么是铁路？'));
    // 頒佈 is a variant CC-CEDICT does not list (it has 頒布): found by its folded form 颁布.
    expect(concepts('哪一位法國皇帝頒佈了這項公文？')).toEqual(concepts('哪一位法国皇帝颁布了这项公文？'));
    expect(concepts('哪一位法國皇帝頒佈了這項公文？').flat(2)).toContain('issu');
    expect(planQuery('什麼時候通車', NO_TRANSLATION, vocabulary).terms).toEqual(planQuery('什么时候通车', NO_TRANSLATION, vocabulary).terms);
  });
});
