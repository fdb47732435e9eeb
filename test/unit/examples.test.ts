import { describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/answer.ts';
import { detectLang, type Passage } from '../../src/corpus/types.ts';
import { examplesFor, pickExamples } from '../../src/examples.ts';
import { buildIndex } from '../../src/search/search-index.ts';
import { renderHelp } from '../../src/telegram/features/help.ts';

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
