import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDictionary, cleanGloss, serialize, transliterationReadings, type RawEntry } from '../../../src/cli/build-dictionary.ts';
import {
  type Dictionary,
  lightStem,
  loadDictionary,
  parseDictionary,
  segmentChinese,
} from '../../../src/search/dictionary/dictionary.ts';

const TSV_PATH = fileURLToPath(new URL('../../../src/search/dictionary/cedict.tsv', import.meta.url));

describe('shipped CC-CEDICT dictionary', () => {
  let dict: Dictionary;
  beforeAll(() => {
    dict = loadDictionary();
  });

  it('looks up common words', () => {
    expect(dict.lookup('中国')).toContain('china');
    expect(dict.lookup('铁路')).toContain('railway');
    expect(dict.lookup('发展')).toEqual(expect.arrayContaining(['develop', 'development']));
    expect(dict.lookup('合作')).toContain('cooperate');
    expect(dict.lookup('北京')).toContain('beijing');
  });

  it('strips the leading "to " of verbs', () => {
    expect(dict.lookup('发展')).toContain('grow');
    expect(dict.lookup('发展')).not.toContain('to grow');
  });

  it('looks up traditional forms with the simplified glosses', () => {
    expect(dict.lookup('中國')).toEqual(dict.lookup('中国'));
    expect(dict.lookup('鐵路')).toContain('railway');
    expect(dict.has('發展')).toBe(true);
  });

  it('resolves variant and "see X" entries to their main form', () => {
    expect(dict.lookup('烟台')).toEqual(dict.lookup('烟台市'));
    expect(dict.lookup('烟台')!.length).toBeGreaterThan(0);
  });

  it('returns undefined for unknown words', () => {
    expect(dict.lookup('不存在的词语')).toBeUndefined();
    expect(dict.has('不存在的词语')).toBe(false);
  });

  it('contains no usage-note or cross-reference glosses', () => {
    const text = readFileSync(TSV_PATH, 'utf8');
    const glosses: string[] = [];
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const field = line.split('\t')[1] ?? '';
      if (field.startsWith('@') || field === '') continue;
      glosses.push(...field.split('|'));
    }
    expect(glosses.length).toBeGreaterThan(150_000);
    const bad = glosses.filter(
      (g) =>
        /^(?:old |erhua |japanese )?variant of\b/.test(g) ||
        /^see (?:also )?\p{Script=Han}/u.test(g) ||
        /^used in\b/.test(g) ||
        /^cl:/.test(g) ||
        /^abbr\./.test(g) ||
        /[\p{Script=Han}[\]()|\t]/u.test(g) ||
        g !== g.toLowerCase() ||
        g.startsWith('to ') ||
        g.split(' ').length > 5,
    );
    expect(bad).toEqual([]);
  });

  it('is sorted and deterministic in shape', () => {
    const lines = readFileSync(TSV_PATH, 'utf8').split('\n');
    // headwords, then transliteration readings (~character), each sorted
    for (const isReading of [false, true]) {
      const keys = lines
        .filter((l) => l !== '' && !l.startsWith('#') && l.startsWith('~') === isReading)
        .map((l) => l.slice(0, l.indexOf('\t')));
      const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(keys.length).toBeGreaterThan(100);
      expect(keys).toEqual(sorted);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('reverse-looks up English words', () => {
    expect(dict.reverseLookup('railway')).toContain('铁路');
    expect(dict.reverseLookup('railway')[0]).toBe('铁路');
    expect(dict.reverseLookup('cooperation')).toContain('合作');
    expect(dict.reverseLookup('china')[0]).toBe('中国');
    expect(dict.reverseLookup('Railway')).toEqual(dict.reverseLookup('railway'));
    expect(dict.reverseLookup('to grow')).toEqual(dict.reverseLookup('grow'));
    expect(dict.reverseLookup('development')).toContain('发展');
  });

  it('caps and orders reverse lookups', () => {
    expect(dict.reverseLookup('water').length).toBeLessThanOrEqual(8);
    expect(dict.reverseLookup('water', 3)).toHaveLength(3);
    expect(dict.reverseLookup('water', 3)).toEqual(dict.reverseLookup('water').slice(0, 3));
    expect(dict.reverseLookup('xyzzyplugh')).toEqual([]);
  });

  it('segments by forward maximum matching', () => {
    expect(segmentChinese('中国和中亚的铁路合作', dict)).toEqual(['中国', '和', '中亚', '的', '铁路', '合作']);
    expect(segmentChinese('我爱北京天安门', dict)).toEqual(['我', '爱', '北京', '天安门']);
    // forward (not backward) maximum matching: 称为|什么, not 称|为什么
    expect(segmentChinese('被称为什么', dict)).toEqual(['被', '称为', '什么']);
    expect(segmentChinese('發展鐵路', dict)).toEqual(['發展', '鐵路']);
  });

  it('segments only Han runs; other characters separate them', () => {
    expect(segmentChinese('GDP增长, 2019年', dict)).toEqual(['增长', '年']);
    expect(segmentChinese('hello world', dict)).toEqual([]);
    expect(segmentChinese('', dict)).toEqual([]);
  });

  it('reports a plausible maximum word length', () => {
    expect(dict.maxWordLength).toBeGreaterThanOrEqual(8);
    expect(dict.size).toBeGreaterThan(100_000);
  });
});

describe('parseDictionary (small fixture)', () => {
  const fixture = [
    '# comment',
    '中\tmiddle|center',
    '中心\tcenter|heart|core',
    '心\theart|mind',
    '心臟\t', // known word without gloss
    '𠀀\tsome rare character',
    '𠀀𠀁\t@中心\t𠀀𠀂',
    '学\tstudy|learn\t學',
    '学生\tstudent|pupil\t學生',
    '大学生\tuniversity student\t大學生',
    '~卡\tka',
  ].join('\n');
  const d = parseDictionary(fixture);

  it('parses glosses, traditional aliases, aliases and empty entries', () => {
    expect(d.lookup('中心')).toEqual(['center', 'heart', 'core']);
    expect(d.lookup('學')).toEqual(['study', 'learn']);
    expect(d.lookup('𠀀𠀁')).toEqual(['center', 'heart', 'core']);
    expect(d.lookup('𠀀𠀂')).toEqual(['center', 'heart', 'core']);
    expect(d.lookup('心臟')).toEqual([]);
    expect(d.has('心臟')).toBe(true);
    expect(d.lookup('# comment')).toBeUndefined();
  });

  it('reads transliteration readings, which are not headwords', () => {
    expect(d.reading('卡')).toBe('ka');
    expect(d.reading('中')).toBeUndefined();
    expect(d.has('~卡')).toBe(false);
  });

  it('measures word length in code points', () => {
    expect(d.maxWordLength).toBe(3);
  });

  it('segments surrogate-pair characters correctly', () => {
    expect(segmentChinese('𠀀𠀁心𠀀', d)).toEqual(['𠀀𠀁', '心', '𠀀']);
    expect(segmentChinese('大学生学中心', d)).toEqual(['大学生', '学', '中心']);
    expect(segmentChinese('大學生', d)).toEqual(['大學生']);
  });

  it('ranks exact gloss matches before head and stem matches, skipping aliases', () => {
    // 中心's primary gloss beats 中's second one
    expect(d.reverseLookup('center')).toEqual(['中心', '中']);
    // exact, then head of "university student"
    expect(d.reverseLookup('student')).toEqual(['学生', '大学生']);
    // stem match on the single-word gloss only
    expect(d.reverseLookup('students')).toEqual(['学生']);
    expect(d.reverseLookup('heart')).toEqual(['心', '中心']);
  });
});

describe('transliteration readings (build-dictionary)', () => {
  const name = (simplified: string, pinyin: string, gloss: string): RawEntry => ({ traditional: simplified, simplified, pinyin, senses: [gloss] });

  it("keeps the characters of names that sound like their gloss, with their reading there", () => {
    const entries = [
      name('卡罗', 'Ka3 luo2', 'Karo'),
      name('卡洛', 'Ka3 luo4', 'Carlo'),
      name('卡拉', 'Ka3 la1', 'Kara, singer'),
      name('卡门', 'Ka3 men2', 'Carmen, opera'), // Chinese drops the r: not the same sound key
      name('卡车', 'ka3 che1', 'truck'), // not a proper noun
      name('北京', 'Bei3 jing1', 'Beijing'),
      name('上海', 'Shang4 hai3', 'Shanghai'),
      name('新西兰', 'Xin1 xi1 lan2', 'New Zealand'), // a translation, not a transliteration
    ];
    const readings = transliterationReadings(entries);
    expect(readings.get('卡')).toBe('ka'); // three names read it ka (Karo, Carlo, Kara)
    expect(readings.has('罗')).toBe(false); // one name only
    expect(readings.has('新')).toBe(false);
  });

  it('leaves out a character that names use but that mostly occurs in other words', () => {
    const names = ['Ka3 de2', 'Ka3 de2', 'Ka3 de2'].map((pinyin, i) => name(`卡${'得德的'[i]}`, pinyin, 'Kade'));
    const common = Array.from({ length: 100 }, (_, i) => name(`的${String.fromCharCode(0x4e00 + i)}`, 'de5 yi1', 'of'));
    const readings = transliterationReadings([...names, ...common, name('卡得', 'Ka3 de2', 'Kade')]);
    expect(readings.get('卡')).toBe('ka');
    expect(readings.has('的')).toBe(false);
  });

  it('are written to the dictionary file and read back', () => {
    const text = serialize(buildDictionary([]), 'test', false, new Map([['卡', 'ka']]));
    expect(parseDictionary(text).reading('卡')).toBe('ka');
  });

  it('ship with the dictionary: name characters have readings, particles do not', () => {
    const dict = loadDictionary();
    expect(['麦', '特', '琳'].map((c) => dict.reading(c))).toEqual(['mai', 'te', 'lin']);
    expect(dict.reading('的')).toBeUndefined();
    expect(dict.reading('在')).toBeUndefined();
  });
});

describe('gloss cleaning (build-dictionary)', () => {
  const clean = (s: string): string | undefined => {
    const r = cleanGloss(s);
    return r.kind === 'kept' ? r.gloss : undefined;
  };

  it('drops usage notes and cross-references', () => {
    expect(clean('variant of 說|说[shuo1]')).toBeUndefined();
    expect(clean('old variant of 雷[lei2]')).toBeUndefined();
    expect(clean('see 烟台市[Yan1 tai2 Shi4]')).toBeUndefined();
    expect(clean('used in 道行[dao4 heng2]')).toBeUndefined();
    expect(clean('CL:條|条[tiao2]')).toBeUndefined();
    expect(clean('classifier for flat objects, sheet')).toBeUndefined();
    expect(clean('Taiwan pr. [xing4]')).toBeUndefined();
    expect(clean('(completed action marker)')).toBeUndefined();
    expect(clean('-ful')).toBeUndefined();
    expect(clean('surname Li')).toBeUndefined();
  });

  it('keeps real glosses that look like notes', () => {
    expect(clean('see you later')).toBe('see you later');
    expect(clean('form of writing')).toBe('form of writing');
  });

  it('strips parentheticals, "to ", articles and placeholders', () => {
    expect(clean('(bound form) to walk')).toBe('walk');
    expect(clean('(literary) trip')).toBe('trip');
    expect(clean('to mix (ingredients) together')).toBe('mix together');
    expect(clean('a taxi')).toBe('taxi');
    expect(clean('to look after sb')).toBe('look after');
    expect(clean('china(ware)')).toBe('chinaware');
    expect(clean('OK!')).toBe('ok');
    expect(clean('abbr. for Citibank 花旗銀行|花旗银行')).toBe('citibank');
  });

  it('drops long glosses unless a short head precedes a comma', () => {
    expect(clean('to act at once on hearing the news')).toBeUndefined();
    expect(clean('Dortmund, city in the Ruhr 魯爾區|鲁尔区[Lu3 er3 Qu1], Germany')).toBe('dortmund');
  });

  it('merges entries per simplified form, aliases variants, keeps surname-only senses', () => {
    const built = buildDictionary([
      { traditional: '張', simplified: '张', pinyin: 'Zhang1', senses: ['surname Zhang'] },
      { traditional: '張', simplified: '张', pinyin: 'zhang1', senses: ['to open up', 'to spread'] },
      { traditional: '説', simplified: '说', pinyin: 'shuo1', senses: ['variant of 說|说[shuo1]'] },
      { traditional: '説話', simplified: '说话', pinyin: 'shuo1 hua4', senses: ['variant of 說話|说话[shuo1 hua4]'] },
      { traditional: '說話', simplified: '说话', pinyin: 'shuo1 hua4', senses: ['to speak; to say'] },
      { traditional: '妫', simplified: '妫', pinyin: 'Gui1', senses: ['surname Gui'] },
      { traditional: '煙台', simplified: '烟台', pinyin: 'Yan1 tai2', senses: ['see 煙台市|烟台市[Yan1 tai2 Shi4]'] },
      { traditional: '煙台市', simplified: '烟台市', pinyin: 'Yan1 tai2 Shi4', senses: ['Yantai prefecture-level city in Shandong'] },
    ]);
    expect(built.glosses.get('张')).toEqual(['open up', 'spread']);
    expect(built.glosses.get('妫')).toEqual(['surname gui']);
    expect(built.glosses.get('说话')).toEqual(['speak', 'say']);
    expect(built.aliases.get('烟台')).toBe('烟台市');
    const text = serialize(built, 'test', true);
    const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines).toContain('烟台\t@烟台市\t煙台');
    expect(lines).toContain('说话\tspeak|say\t說話|説話');
    expect(lines.map((l) => l.split('\t')[0])).toEqual(['妫', '张', '烟台', '烟台市', '说', '说话']);
  });
});

describe('lightStem', () => {
  it('conflates derivations and plurals conservatively', () => {
    expect(lightStem('cooperation')).toBe(lightStem('cooperate'));
    expect(lightStem('development')).toBe(lightStem('develop'));
    expect(lightStem('railways')).toBe('railway');
    expect(lightStem('cities')).toBe('city');
    expect(lightStem('king')).toBe('king');
    expect(lightStem('status')).toBe('status');
  });
});
