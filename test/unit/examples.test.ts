import { describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/answer.ts';
import { detectLang, type Passage } from '../../src/corpus/types.ts';
import { examplesFor, pickExamples } from '../../src/examples.ts';
import { loadDictionary } from '../../src/search/dictionary/dictionary.ts';
import { buildIndex as indexPassages } from '../../src/search/search-index.ts';
import { createTranslator } from '../../src/search/translate.ts';
import { renderHelp } from '../../src/telegram/features/help.ts';

/** Indexes as the bot does: with the dictionary (Chinese text is read word by word) and the folder's aliases (none unless given). */
const dictionary = loadDictionary();
const buildIndex = (passages: Passage[], aliasGroups: string[][] = []) => indexPassages(passages, createTranslator(dictionary, aliasGroups));

let n = 0;
const passage = (text: string, extra: Partial<Passage> = {}): Passage => ({
  id: `p${++n}`, docId: extra.title ?? 'doc', text, title: null, publisher: null, date: null, section: null, refs: [], url: null,
  topic: null, lang: detectLang(text), file: 'notes.md', ...extra,
});

const TEA = [
  passage('The Tea Horse Road linked Yunnan with Tibet for centuries.', { title: 'Caravans of the southwest' }),
  passage('Mule caravans on the Tea Horse Road carried pressed tea bricks.', { title: 'Caravans of the southwest' }),
  passage('Traders from Lijiang joined the Tea Horse Road every spring.', { title: 'Caravans of the southwest' }),
  passage('茶马古道连接云南和西藏，马帮运送普洱茶。', { title: '茶马古道' }),
  passage('马帮沿着茶马古道把普洱茶砖运到拉萨。', { title: '茶马古道' }),
  passage('普洱茶在茶马古道上很受欢迎。', { title: '茶马古道' }),
];

describe('pickExamples', () => {
  const index = buildIndex(TEA);
  const examples = pickExamples(index);

  it('takes names that recur in the passages, and short titles, in each language', () => {
    expect(examples.en).toContain('Tea Horse Road');
    expect(examples.en).toContain('Caravans of the southwest');
    expect(examples.zh).toContain('茶马古道');
    expect(examples.zh.some((e) => e.includes('普洱茶'))).toBe(true);
  });

  it('keeps only examples the answer pipeline answers', () => {
    for (const example of [...examples.en, ...examples.zh]) {
      expect(answerQuestion(index, example).hits.length, example).toBeGreaterThan(0);
    }
    // A title made of stop words is short enough, but nothing answers it.
    const stopWords = buildIndex([passage('Nothing here but tea.', { title: 'What Is It' }), passage('More tea.', { title: 'What Is It' })]);
    expect(pickExamples(stopWords).en).not.toContain('What Is It');
  });

  it('is the same for the same corpus', () => {
    expect(pickExamples(buildIndex(TEA))).toEqual(examples);
  });

  it('finds nothing in a corpus without recurring names or short titles', () => {
    expect(pickExamples(buildIndex([passage('just some lowercase words here.')]))).toEqual({ en: [], zh: [] });
  });
});

describe('pickExamples: subjects, not headlines or broken names', () => {
  it('does not take a name joined by "and" that ends in an adjective ("China and Central Asian")', () => {
    const examples = pickExamples(buildIndex([
      passage('Trade between China and Central Asian countries grew by a third.', { title: 'Trade report' }),
      passage('China and Central Asian states signed a new customs agreement.', { title: 'Trade report' }),
      passage('The Caspian Ferry Line links Central Asia with the Caucasus.', { title: 'Trade report' }),
      passage('Cargo on the Caspian Ferry Line doubled; China is its biggest shipper.', { title: 'Trade report' }),
    ]));
    expect(examples.en).toContain('Caspian Ferry Line');
    expect(examples.en.filter((e) => /\band\b|Asian$/.test(e))).toEqual([]);
  });

  it('keeps a name whose parts are joined by "and" when neither part stands alone ("Belt and Road")', () => {
    const examples = pickExamples(buildIndex([
      passage('The Belt and Road plan funds ports.', { title: 'Ports' }),
      passage('Loans under Belt and Road reached the coast.', { title: 'Ports' }),
    ]));
    expect(examples.en).toContain('Belt and Road');
  });

  it('reads two names of several words joined by "and" as two names', () => {
    const examples = pickExamples(buildIndex([
      passage('The battleships Caio Duilio and Enrico Dandolo were laid down in 1873.', { title: 'Ships' }),
      passage('Both Caio Duilio and Enrico Dandolo carried four guns.', { title: 'Ships' }),
    ]));
    expect(examples.en).toEqual(expect.arrayContaining(['Caio Duilio', 'Enrico Dandolo']));
    expect(examples.en.filter((e) => e.includes(' and '))).toEqual([]);
  });

  it('prefers a subject that recurs in the text over a short title the text never names (a headline)', () => {
    const examples = pickExamples(buildIndex([
      passage('中吉乌铁路全长约五百公里，连接喀什和安集延。', { title: '历史的必然' }),
      passage('中吉乌铁路建成后，货物运输时间将缩短一周。', { title: '历史的必然' }),
      passage('各方同意加快中吉乌铁路的前期工作。', { title: '历史的必然' }),
    ]));
    expect(examples.zh[0]).toBe('中吉乌铁路');
    expect(examples.zh.indexOf('历史的必然')).not.toBe(0);
  });

  it('tries a phrase a headline contains (the piece’s theme) after subjects no headline names', () => {
    const headline = 'Advancing Common Modernization through high-quality development and openness';
    const examples = pickExamples(buildIndex([
      passage('Common Modernization is the goal of every partner.', { title: headline }),
      passage('The Caspian Ferry Line opened a second berth; Common Modernization was the theme.', { title: headline }),
      passage('Speakers returned to Common Modernization again and again.', { title: headline }),
      passage('Cargo on the Caspian Ferry Line doubled, a step towards Common Modernization.', { title: headline }),
    ]));
    expect(examples.en[0]).toBe('Caspian Ferry Line');
    expect(examples.en).toContain('Common Modernization');
  });

  it('takes no fragment of a long headline that every passage of an editorial repeats', () => {
    const headline = '新华述评丨时代的呼唤 历史的必然——深刻领悟宏阔意涵';
    const examples = pickExamples(buildIndex([
      passage('天然气管道D线将从土库曼斯坦经乌兹别克斯坦通往中国。', { title: headline }),
      passage('天然气管道每年向中国输送大量天然气。', { title: headline }),
      passage('双方还讨论了光伏电站和天然气管道的维护。', { title: headline }),
    ]));
    expect(examples.zh).toContain('天然气管道');
    expect(examples.zh.filter((e) => headline.includes(e))).toEqual([]);
  });

  it('takes whole words, not a run of characters cut inside one ("次世界大战")', () => {
    const examples = pickExamples(buildIndex([
      passage('第二次世界大战期间，这座城市遭到轰炸。', { title: 'A' }),
      passage('第二次世界大战结束后，港口得到重建。', { title: 'A' }),
      passage('战后的第二次世界大战纪念馆每年开放。', { title: 'A' }),
    ]));
    expect(examples.zh[0]).toBe('第二次世界大战');
    for (const example of examples.zh) expect(examples.zh.filter((e) => e !== example && e.includes(example))).toEqual([]);
  });

  it('gives Chinese examples for English text from the operator’s aliases', () => {
    const aliases = [['中吉乌铁路', 'China-Kyrgyzstan-Uzbekistan railway']];
    const index = buildIndex([
      passage('Work on the China-Kyrgyzstan-Uzbekistan railway began this year.', { title: 'Rail' }),
      passage('The China-Kyrgyzstan-Uzbekistan railway will cut transit times.', { title: 'Rail' }),
    ], aliases);
    const examples = pickExamples(index);
    expect(examples.zh).toEqual(['中吉乌铁路']);
    expect(answerQuestion(index, '中吉乌铁路').hits[0]!.passage.text).toContain('China-Kyrgyzstan-Uzbekistan railway');
  });
});

describe('pickExamples: aliases named inside Chinese text', () => {
  it('finds an alias inside a run of Chinese text, and gives its English name as an example', () => {
    const index = buildIndex([
      passage('哈萨克斯坦的阿拉木图是该国最大的城市。', { title: '城市' }),
      passage('每年夏天阿拉木图举办国际音乐节。', { title: '城市' }),
    ], [['阿拉木图', 'Almaty']]);
    const examples = pickExamples(index);
    expect(examples.en).toEqual(['Almaty']);
    expect(answerQuestion(index, 'Almaty').hits[0]!.passage.text).toContain('阿拉木图');
  });
});

describe('examplesFor', () => {
  it('gives the user examples in their language first, then in the other', () => {
    const examples = { en: ['Tea Horse Road', 'Lijiang'], zh: ['茶马古道'] };
    expect(examplesFor(examples, 'en')).toEqual(['Tea Horse Road', 'Lijiang']);
    expect(examplesFor(examples, 'zh')).toEqual(['茶马古道', 'Tea Horse Road']);
    expect(examplesFor({ en: [], zh: ['茶马古道'] }, 'en')).toEqual(['茶马古道']);
  });
});

describe('renderHelp', () => {
  it('shows the examples, escaped, in the user language', () => {
    const html = renderHelp('en', 'tea_bot', { en: ['R&D <Labs>', 'Tea Horse Road'], zh: [] });
    expect(html).toContain('send any question, e.g. <i>R&amp;D &lt;Labs&gt;</i> or <i>Tea Horse Road</i>\n');
    expect(renderHelp('zh', 'tea_bot', { en: ['Tea Horse Road'], zh: ['茶马古道'] })).toContain('直接发送问题，例如 <i>茶马古道</i> 或 <i>Tea Horse Road</i>\n');
  });

  it('leaves the examples out when the corpus gave none', () => {
    expect(renderHelp('en', 'tea_bot', { en: [], zh: [] })).toContain('• In this chat: send any question\n');
  });
});
