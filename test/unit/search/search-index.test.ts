import { describe, expect, it } from 'vitest';
import type { Passage } from '../../../src/corpus/types.ts';
import { matchedCount, matchOf, MAX_QUERY_TERMS, planQuery, POSTING_BUDGET } from '../../../src/search/query-plan.ts';
import { deserialize, serialize } from 'node:v8';
import { buildIndex, SearchIndex, type IndexSnapshot } from '../../../src/search/search-index.ts';
import { NO_TRANSLATION, type Translator } from '../../../src/search/translate.ts';
import { processTerm } from '../../../src/search/tokenize.ts';
import { passageOf } from '../../support/passage.ts';

const passage = passageOf;

const index = buildIndex([
  passage('rail', 'The China-Kyrgyzstan-Uzbekistan railway is progressing.'),
  passage('kaz', 'Kazakhstan signed a solar power agreement with Almaty partners.'),
  passage('zh', '中吉乌铁路项目进展顺利，双方加强合作。'),
  passage('grant', 'China will provide 1.5 billion RMB in grants to Central Asian countries.'),
  passage('pandemic', 'Medical teams and vaccines were sent during the pandemic.'),
  passage('border', 'The 3,300-kilometer border became a peaceful connection.'),
  passage('titled', 'Two more lines opened this year.', { title: 'Pipeline report', section: 'Natural gas' }),
]);
const ids = (query: string, options = {}) => index.search(query, options).map((hit) => hit.passage.id);

describe('SearchIndex', () => {
  it('finds "railway" when asked about "railways"', () => {
    expect(ids('railways')[0]).toBe('rail');
  });

  it('finds an English passage with the words of a question', () => {
    expect(ids('How many grants will China provide?')[0]).toBe('grant');
  });

  it('tolerates a typo in a long Latin word', () => {
    expect(ids('Kazakstan')).toEqual(['kaz']);
    expect(ids('vacines')).toEqual(['pandemic']);
  });

  it('finds Chinese by any two-character substring', () => {
    expect(ids('中吉乌铁路')).toEqual(['zh']);
    expect(ids('铁路')).toEqual(['zh']);
    expect(ids('乌铁路')).toEqual(['zh']);
  });

  it('finds a single Han character inside longer words', () => {
    expect(ids('铁')).toEqual(['zh']);
    expect(ids('路', { gate: false })).toEqual(['zh']);
  });

  it('applies no typo tolerance to Han text', () => {
    expect(ids('铁鹿')).toEqual([]);
    expect(ids('铁鹿', { gate: false })).toEqual([]);
  });

  it('returns nothing for a query of stop words only', () => {
    expect(ids('what is the of')).toEqual([]);
    expect(ids('什么是')).toEqual([]);
    expect(ids('')).toEqual([]);
    expect(ids('?!')).toEqual([]);
  });

  it.each([
    'What is the weather in Paris tomorrow?',
    'How do I bake sourdough bread?',
    'who won the football match',
    '明天北京天气怎么样？',
  ])('returns nothing for the unrelated question "%s"', (question) => {
    expect(ids(question)).toEqual([]);
  });

  it('lets the gate turn away a weak match that it would otherwise return', () => {
    const query = 'border cat dog horse mouse elephant';
    expect(ids(query, { gate: false })).toContain('border');
    expect(ids(query)).toEqual([]);
  });

  it('returns every passage that covers the query well enough, best first', () => {
    const hits = index.search('pandemic railway');
    expect(hits.map((h) => h.passage.id).sort()).toEqual(['pandemic', 'rail']);
    expect(hits[0]!.score).toBeGreaterThanOrEqual(hits[1]!.score);
  });

  it('reports the matched terms and coverage of each hit', () => {
    const [hit] = index.search('railways progressing');
    expect(hit?.terms).toEqual(expect.arrayContaining([processTerm('railway'), processTerm('progressing')]));
    expect(hit?.coverage).toBeCloseTo(1);
    const [half] = index.search('pandemic railway').filter((h) => h.passage.id === 'rail');
    expect(half?.terms).toEqual([processTerm('railway')]);
    expect(half?.coverage).toBeGreaterThan(0);
    expect(half?.coverage).toBeLessThan(1);
  });

  it('matches an unfinished last word as a prefix, but not a finished one', () => {
    expect(ids('vacc')).toEqual(['pandemic']);
    expect(ids('vacc ')).toEqual([]);
    expect(ids('vacc ', { typing: true })).toEqual(['pandemic']);
  });

  it('searches the title and section too', () => {
    expect(ids('pipeline report')).toEqual(['titled']);
    expect(ids('natural gas')).toEqual(['titled']);
  });

  it('finds a passage when asked in full-width characters', () => {
    expect(ids('ＲＭＢ ｇｒａｎｔｓ')).toEqual(['grant']);
  });

  it('ranks a passage that answers in one sentence above one with the same words scattered', () => {
    // The same words, as often, in passages of the same length: the index scores tie, and a tie
    // goes to the earlier passage. Only where the words stand tells them apart.
    const english = buildIndex([
      passage('scattered', 'The river is long. The dam was built in 1950.'),
      passage('together', 'The river dam was built in 1950. The is long.'),
    ]);
    expect(english.search('When was the river dam built?').map((hit) => hit.passage.id)).toEqual(['together', 'scattered']);
    const chinese = buildIndex([passage('scattered', '长江很长。大坝建于一九五〇年。'), passage('together', '长江大坝建于一九五〇年。很长。')]);
    expect(chinese.search('长江大坝是哪年建的？').map((hit) => hit.passage.id)).toEqual(['together', 'scattered']);
  });

  it('prefers a sentence with a number in it when the question asks how many or when, and only then', () => {
    // The number makes its passage one token longer, so by the index scores alone it comes second.
    const english = buildIndex([
      passage('words', 'The bridge carries trains every day across the river.'),
      passage('number', 'The bridge carries 120 trains every day across the river.'),
    ]);
    const ids = (index: SearchIndex, query: string) => index.search(query).map((hit) => hit.passage.id);
    expect(ids(english, 'Which bridge carries trains across the river?')).toEqual(['words', 'number']);
    expect(ids(english, 'How many trains does the bridge carry across the river?')).toEqual(['number', 'words']);
    // Here the index scores tie, and a tie goes to the earlier passage.
    const chinese = buildIndex([passage('words', '大桥每天运送列车过江。'), passage('number', '大桥每天运送120列车过江。')]);
    expect(ids(chinese, '大桥每天运送哪种列车过江？')).toEqual(['words', 'number']);
    expect(ids(chinese, '大桥每天运送多少列车过江？')).toEqual(['number', 'words']);
  });

  it('puts the newer of two equally good passages first, but not above a clearly better older one', () => {
    const ids = (index: SearchIndex, query: string) => index.search(query).map((hit) => hit.passage.id);
    const same = 'The railway line opened to passengers.';
    const news = buildIndex([
      passage('old', same, { date: '2023-05-01' }),
      passage('undated', same),
      passage('new', same, { date: '2024-05-01 10:00' }),
    ]);
    // Without dates the tie goes to the earlier passage.
    expect(ids(news, 'railway passengers')).toEqual(['new', 'old', 'undated']);
    const better = buildIndex([
      passage('old', 'The Almaty railway line opened to passengers.', { date: '2023-05-01' }),
      passage('new', 'A railway line opened.', { date: '2024-05-01' }),
    ]);
    expect(ids(better, 'Almaty railway passengers')[0]).toBe('old');
  });

  it("counts a sentence that shares the question's characters, not only its bigrams (献唱 for 演唱)", () => {
    // The same bigrams match in both (大会, 会上, 国歌), and the shorter passage scores higher in
    // the index; only 'sang' has 唱 of 演唱.
    const chinese = buildIndex([passage('played', '大会上奏响国歌。'), passage('sang', '大会上歌手献唱国歌。')]);
    expect(chinese.search('大会上谁演唱了国歌？').map((hit) => hit.passage.id)).toEqual(['sang', 'played']);
    expect(chinese.search('大会上谁奏响了国歌？')[0]?.passage.id).toBe('played');
  });
});

describe('translations', () => {
  const translating = (senses: string[]): Translator => ({ ...NO_TRANSLATION, toChinese: (word) => (word === 'times' ? senses : []) });
  const passages = [passage('paper', '星期日泰晤士报评选年度大学。'), passage('twice', '波兰人队两次赢得冠军。'), passage('first', '第一次会议在华沙举行。')];

  it('weigh a rare sense of a word as the whole set of its senses: it cannot outweigh the common ones by rarity', () => {
    const alone = buildIndex(passages, translating(['泰晤士报'])).search('times');
    const withCommonSense = buildIndex(passages, translating(['次', '泰晤士报'])).search('times');
    const scoreOf = (hits: { passage: Passage; score: number }[]) => hits.find((hit) => hit.passage.id === 'paper')!.score;
    expect(scoreOf(withCommonSense)).toBeLessThan(scoreOf(alone) * 0.8);
    const everyMatch = buildIndex(passages, translating(['次', '泰晤士报'])).search('times', { gate: false });
    expect(everyMatch.map((hit) => hit.passage.id).sort()).toEqual(['first', 'paper', 'twice']);
  });
});

describe('names by sound', () => {
  const readings: Record<string, string> = { 麦: 'mai', 特: 'te', 琳: 'lin', 卡: 'ka', 罗: 'luo', 莱: 'lai', 纳: 'na' };
  const reading: Translator = { ...NO_TRANSLATION, reading: (character) => readings[character] };
  const passages = [
    passage('matlin', 'Marlee Matlin provided the sign language translation.'),
    passage('motherland', 'The singer praised the motherland in her translation.'),
    passage('carolina', 'Carolina won the game in the final minutes.'),
  ];

  it('find the Latin word a Chinese question spells by sound, when no dictionary has the name', () => {
    const index = buildIndex(passages, reading);
    expect(index.search('麦特琳做了什么？').map((hit) => hit.passage.id)).toEqual(['matlin']);
    expect(index.search('卡罗莱纳赢了吗')[0]?.passage.id).toBe('carolina');
    expect(index.search('麦特琳做了什么？')[0]?.terms).toContain('matlin');
    // without the readings the question finds nothing
    expect(buildIndex(passages).search('麦特琳做了什么？')).toEqual([]);
  });

  it('end a name at characters that names do not use, and leave translated words alone', () => {
    const vocabulary = { has: () => true, idf: () => 1, df: () => 1, soundingLike: (key: string) => (key === 'MTLN' ? ['matlin', 'motherland'] : []) };
    const plan = planQuery('麦特琳的人', reading, vocabulary);
    expect(plan.concepts).toEqual([{ positions: [0, 1, 2], alternatives: [['matlin']], kind: 'to-english' }]);
    const translated: Translator = { ...reading, segment: (run) => [run], toEnglish: (word) => (word === '麦特琳' ? ['matlin'] : []) };
    expect(planQuery('麦特琳', translated, vocabulary).concepts).toHaveLength(1);
  });
});

describe('matchedCount', () => {
  it('counts a translation once, however many terms (bigrams) it has or alternatives matched', () => {
    const translator: Translator = { ...NO_TRANSLATION, toChinese: (word) => (word === 'championship' ? ['锦标赛', '冠军赛'] : []) };
    const vocabulary = { has: () => true, idf: () => 1, df: () => 1, soundingLike: () => [] };
    const plan = planQuery('championship final', translator, vocabulary);
    expect(plan.concepts).toHaveLength(1);
    expect(matchedCount(plan, new Set(['锦标', '标赛', '冠军', '军赛']))).toBe(1);
    expect(matchedCount(plan, new Set(['锦标', '标赛', 'final']))).toBe(2);
    expect(matchedCount(plan, new Set(['锦标']))).toBe(0);
  });
});

describe('planQuery', () => {
  it("gives a bigram that straddles two of the question's words half its weight in coverage", () => {
    // 野马队 | 在 | 比赛: 队在 and 在比 straddle; 在 is covered by nothing else.
    const translator: Translator = { ...NO_TRANSLATION, segment: (run) => (run === '野马队在比赛' ? ['野马队', '在', '比赛'] : [...run]) };
    const plan = planQuery('野马队在比赛', translator, { has: () => true, idf: () => 1, df: () => 1, soundingLike: () => [] });
    const coverage = (terms: string[]) => matchOf(plan, new Set(terms)).coverage;
    expect(coverage(['野马', '马队'])).toBeCloseTo(3 / 5.5);
    expect(coverage(['队在', '在比'])).toBeCloseTo(2.5 / 5.5);
  });

  it('neither searches nor translates the noun of a Chinese question word (时候 in 什么时候)', () => {
    const translator: Translator = {
      ...NO_TRANSLATION,
      segment: (run) => (run === '基因是什么时候被发现的' ? ['基因', '是', '什么', '时候', '被', '发现', '的'] : [run]),
      toEnglish: (word) => ({ 时候: ['time'], 发现: ['discover'] })[word] ?? [],
    };
    const vocabulary = { has: () => true, idf: () => 1, df: () => 1, soundingLike: () => [] };
    const plan = planQuery('基因是什么时候被发现的', translator, vocabulary);
    expect(plan.terms).not.toContain('时候');
    expect(plan.terms).toContain('发现');
    expect(plan.concepts.map((c) => c.alternatives)).toEqual([[[processTerm('discover')]]]);
    expect(plan.asksForNumber).toBe(true);
    // 时候 is a word everywhere else
    expect(planQuery('那个时候的基因', translator, vocabulary).terms).toContain('时候');
  });

  it('knows when a question asks for a quantity or a date', () => {
    const asks = (q: string) => planQuery(q, NO_TRANSLATION, { has: () => true, idf: () => 1, df: () => 1, soundingLike: () => [] }).asksForNumber;
    for (const q of ['How many passengers?', 'When did it open?', 'In what year was it built?', '铁路有多少公里？', '何时开通？', '哪一年建成？', '有几条铁路？']) expect(asks(q)).toBe(true);
    for (const q of ['Who built the railway?', 'Where is Almaty?', '铁路几乎建成了吗？', '谁修建了铁路？']) expect(asks(q)).toBe(false);
  });

  it('lists the distinct search terms of a query in order', () => {
    const vocabulary = { has: () => true, idf: () => 1, df: () => 1, soundingLike: () => [] };
    expect(planQuery('What railways? Railway 铁路', NO_TRANSLATION, vocabulary).terms).toEqual([processTerm('railways'), '铁路']);
  });

  it('searches with at most MAX_QUERY_TERMS terms, the rarest first, whatever the question', () => {
    const words = Array.from({ length: 300 }, (_, i) => `word${i}`);
    const vocabulary = { has: () => true, idf: () => 1, df: (t: string) => 300 - Number(t.slice(4)), soundingLike: () => [] };
    const plan = planQuery(words.join(' '), NO_TRANSLATION, vocabulary);
    expect(plan.terms).toHaveLength(MAX_QUERY_TERMS);
    expect(plan.terms).toContain('word299');
    expect(plan.terms).not.toContain('word0');
  });

  it('reads at most POSTING_BUDGET postings, leaving out the commonest terms but never all', () => {
    const df = (t: string) => (t === 'china' ? POSTING_BUDGET : 10);
    const vocabulary = { has: () => true, idf: () => 1, df, soundingLike: () => [] };
    expect(planQuery('china railway', NO_TRANSLATION, vocabulary).terms).toEqual([processTerm('railway')]);
    expect(planQuery('china', NO_TRANSLATION, vocabulary).terms).toEqual(['china']);
    const small = { has: () => true, idf: () => 1, df: () => 10, soundingLike: () => [] };
    expect(planQuery('china railway', NO_TRANSLATION, small).terms).toEqual(['china', processTerm('railway')]);
  });

  it("spends the budget on every word's first translation before any word's second", () => {
    // Each gloss costs a quarter of the budget: the first word's senses used to take it all.
    const glosses: Record<string, string[]> = { 防守: ['defend', 'protect', 'guard', 'hold'], 拦截: ['intercept', 'block'] };
    const translator: Translator = { ...NO_TRANSLATION, segment: (run) => (run === '防守拦截' ? ['防守', '拦截'] : [run]), toEnglish: (word) => glosses[word] ?? [] };
    const df = (t: string) => (/^\p{Script=Han}+$/u.test(t) ? 1 : Math.floor(POSTING_BUDGET / 4));
    const plan = planQuery('防守拦截', translator, { has: () => true, idf: () => 1, df, soundingLike: () => [] });
    expect(plan.concepts.map((c) => c.alternatives.flat())).toEqual([['defend', 'protect'], ['intercept']]);
  });
});

describe('snapshots', () => {
  it('answer like the index they were taken from, after a round trip through bytes', () => {
    const restored = SearchIndex.restore(index.passages, deserialize(serialize(index.toSnapshot())) as IndexSnapshot);
    for (const q of ['railways', 'Kazakstan railway', 'RMB grants', '铁路']) {
      expect(restored.search(q).map((h) => [h.passage.id, h.score])).toEqual(index.search(q).map((h) => [h.passage.id, h.score]));
    }
  });

  it('restore in slices, yielding between them, to an index that answers the same', async () => {
    let yields = 0;
    const snapshot = deserialize(serialize(index.toSnapshot())) as IndexSnapshot;
    const restored = await SearchIndex.restoreInSlices(index.passages, snapshot, NO_TRANSLATION, async () => void yields++, 3);
    expect(yields).toBeGreaterThan(3);
    for (const q of ['railways', 'Kazakstan railway', 'RMB grants', '铁路', 'Kaz']) {
      expect(restored.search(q).map((h) => [h.passage.id, h.score])).toEqual(index.search(q).map((h) => [h.passage.id, h.score]));
    }
  });

  it('refuse passages they were not taken from', () => {
    expect(() => SearchIndex.restore(index.passages.slice(1), index.toSnapshot())).toThrow(/does not match/);
  });
});
