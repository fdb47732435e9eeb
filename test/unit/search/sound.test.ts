import { describe, expect, it } from 'vitest';
import { latinSoundKey, pinyinSoundKey, romanizePinyin, soundDistance } from '../../../src/search/sound.ts';

describe('sound keys: a transliterated name and its Latin word share one', () => {
  it.each([
    [['mai', 'te', 'lin'], 'Matlin', 'MTLN'],
    [['ka', 'luo', 'lai', 'na'], 'Carolina', 'KLN'],
    [['fu', 'lei', 'si', 'nuo'], 'Fresno', 'FLSN'],
    [['si', 'di', 'ge', 'li', 'ci'], 'Stiglitz', 'STKLS'],
    [['pei', 'dun'], 'Peyton', 'PTN'],
    [['man', 'ning'], 'Manning', 'MN'],
    [['dan', 'fo'], 'Denver', null],
  ])('%j ~ %s', (syllables, word, key) => {
    if (key) {
      expect(pinyinSoundKey(syllables)).toBe(key);
      expect(latinSoundKey(word)).toBe(key);
    } else {
      // Chinese drops a final r: Denver is 丹佛 (TNF), a key of its own (TNFL)
      expect(pinyinSoundKey(syllables)).not.toBe(latinSoundKey(word));
    }
  });

  it('reads digraphs as one sound', () => {
    expect(latinSoundKey('Philip')).toBe('FLP');
    expect(latinSoundKey('Schultz')).toBe('SLS');
    expect(latinSoundKey('Jackson')).toBe('SKSN');
    expect(latinSoundKey('Cecil')).toBe('SL'); // a class repeated across a vowel counts once, as in pinyinSoundKey
    expect(pinyinSoundKey(['er'])).toBe('L');
  });
});

describe('romanizePinyin and soundDistance', () => {
  it('spells pinyin as English transliterations do', () => {
    expect(romanizePinyin(['ka', 'luo', 'lai', 'na'])).toBe('kalolaina');
    expect(romanizePinyin(['xi', 'qin', 'zhang'])).toBe('sichinjan');
  });

  it('ranks the name a transliteration spells before words that only share its consonants', () => {
    const name = romanizePinyin(['mai', 'te', 'lin']);
    expect(soundDistance(name, 'matlin')).toBeLessThan(0.35);
    expect(soundDistance(name, 'matlin')).toBeLessThan(soundDistance(name, 'motherland'));
    expect(soundDistance(romanizePinyin(['ka', 'luo', 'lai', 'na']), 'carolina')).toBeLessThan(0.2);
    expect(soundDistance(name, name)).toBe(0);
    expect(soundDistance('', 'matlin')).toBe(1);
  });
});
