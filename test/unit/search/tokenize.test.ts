import { describe, expect, it } from 'vitest';
import { hanCharacters, isHanTerm, processTerm, splitSentences, tokenize, tokenizeWithOffsets } from '../../../src/search/tokenize.ts';

describe('tokenize', () => {
  it('turns a run of Han characters into overlapping bigrams', () => {
    expect(tokenize('中吉乌铁路')).toEqual(['中吉', '吉乌', '乌铁', '铁路']);
  });

  it('keeps a single Han character as itself', () => {
    expect(tokenize('中')).toEqual(['中']);
    expect(tokenize('a 中 b')).toEqual(['a', '中', 'b']);
  });

  it('keeps digits and Latin words apart from the Han bigrams next to them', () => {
    expect(tokenize('2015年黑豹队')).toEqual(['2015', '年黑', '黑豹', '豹队']);
    expect(tokenize('中国China铁路')).toEqual(['中国', 'china', '铁路']);
  });

  it('cuts a Han run at particles such as 的', () => {
    expect(tokenize('中国的铁路')).toEqual(['中国', '铁路']);
  });

  it('makes bigrams of Han characters outside the BMP', () => {
    expect(tokenize('𠮷野家')).toEqual(['𠮷野', '野家']);
  });

  it('reads full-width letters and digits as their half-width forms', () => {
    expect(tokenize('ＡＢＣ １２３')).toEqual(['abc', '123']);
    expect(tokenize('ＡＢＣ１２３')).toEqual(tokenize('abc123'));
  });

  it('lowercases words', () => {
    expect(tokenize('The RAILWAY Kazakhstan')).toEqual(['the', 'railway', 'kazakhstan']);
  });

  it('keeps apostrophes inside a word and splits at hyphens and commas', () => {
    expect(tokenize("China’s 3,300-kilometer COVID-19")).toEqual(["china's", '3', '300', 'kilometer', 'covid', '19']);
  });

  it('ignores emoji and punctuation without crashing', () => {
    expect(tokenize('hi 😀 there 👍🏽 中国🇨🇳!!')).toEqual(['hi', 'there', '中国']);
    expect(tokenize('😀👍🏽🇨🇳 ?!')).toEqual([]);
    expect(tokenize('')).toEqual([]);
  });
});

describe('hanCharacters', () => {
  it('lists the characters of Han runs of two or more, without particles, full-width normalised', () => {
    expect(hanCharacters('中吉乌铁路的建设')).toEqual(['中', '吉', '乌', '铁', '路', '建', '设']);
    expect(hanCharacters('路 and 铁路')).toEqual(['铁', '路']);
    expect(hanCharacters('railway')).toEqual([]);
  });
});

describe('splitSentences', () => {
  it('splits after sentence marks followed by space, and after Chinese marks', () => {
    expect(splitSentences('It grew 3.5% in 2023. Why? Trade! Then; more')).toEqual(['It grew 3.5% in 2023.', 'Why?', 'Trade!', 'Then;', 'more']);
    expect(splitSentences('铁路开通。双方签署协议！还有吗？好')).toEqual(['铁路开通。', '双方签署协议！', '还有吗？', '好']);
  });

  it('cuts only between tokens: the sentences have exactly the tokens of the text', () => {
    for (const text of ['U.S. trade rose. 中吉乌铁路。Next', 'e.g. this ... and that!', '一。二三。。', 'no marks at all', '']) {
      expect(splitSentences(text).flatMap(tokenize)).toEqual(tokenize(text));
    }
  });
});

describe('tokenizeWithOffsets', () => {
  it('points offsets into the original string, past emoji and full-width forms', () => {
    const text = '😀 Ｒailways 中吉乌 ok';
    const tokens = tokenizeWithOffsets(text);
    expect(tokens.map((t) => [t.word, text.slice(t.start, t.end), t.han])).toEqual([
      ['railways', 'Ｒailways', false],
      ['中吉', '中吉', true],
      ['吉乌', '吉乌', true],
      ['ok', 'ok', false],
    ]);
  });

  it('points offsets of a bigram outside the BMP at whole characters', () => {
    const text = '𠮷野';
    const [token] = tokenizeWithOffsets(text);
    expect(token && text.slice(token.start, token.end)).toBe('𠮷野');
  });
});

describe('processTerm', () => {
  it.each(['the', 'what', 'is', 'how', 'many'])('drops the English stop word "%s"', (word) => {
    expect(processTerm(word)).toBeNull();
  });

  it.each(['什么', '多少', '哪些', '如何', '吗', '的'])('drops the Chinese stop term "%s"', (word) => {
    expect(processTerm(word)).toBeNull();
  });

  it('stems English words so inflections meet', () => {
    expect(processTerm('railways')).toBe(processTerm('railway'));
    expect(processTerm('running')).toBe(processTerm('runs'));
    expect(processTerm('grants')).toBe(processTerm('grant'));
    expect(processTerm('railway')).not.toBe(processTerm('rail'));
  });

  it('meets a question\'s base form with the text\'s past tense, irregular verbs and -ie verbs included', () => {
    for (const [asked, written] of [['die', 'died'], ['dies', 'dying'], ['win', 'won'], ['begin', 'began'], ['build', 'built'], ['teach', 'taught']]) {
      expect(processTerm(written!)).toBe(processTerm(asked!));
    }
    expect(processTerm('found')).not.toBe(processTerm('founded'));
  });

  it("drops a possessive 's", () => {
    expect(processTerm("china's")).toBe(processTerm('china'));
  });

  it('keeps Han bigrams and numbers as they are', () => {
    expect(processTerm('铁路')).toBe('铁路');
    expect(processTerm('2015')).toBe('2015');
  });

  it('tells Han terms from others', () => {
    expect(isHanTerm('铁路')).toBe(true);
    expect(isHanTerm('中')).toBe(true);
    expect(isHanTerm('rail')).toBe(false);
    expect(isHanTerm('中a')).toBe(false);
  });
});
