import { describe, expect, it } from 'vitest';
import { Accumulator, maskKeyOf, maskKeyOfSlot, slotsOf } from '../../../src/search/accumulator.ts';
import { Postings } from '../../../src/search/postings.ts';
import { passageOf } from '../../support/passage.ts';

const passage = (id: string, text: string) => passageOf(id, text, { docId: id, lang: 'en', file: 'test.md' });

describe('Accumulator', () => {
  const postings = Postings.build([passage('a', 'railway station'), passage('b', 'railway')]);
  const railway = postings.termId('railway')!;
  const station = postings.termId('station')!;

  it('knows the one slot a passage matched, in either half of the mask, and -1 for several', () => {
    for (const slot of [0, 5, 31, 32, 51]) {
      const acc = new Accumulator(postings);
      acc.reset();
      acc.addTerm(railway, 1, slot);
      expect(acc.onlySlot(0)).toBe(slot);
      expect(acc.maskKey(0)).toBe(maskKeyOfSlot(slot));
      expect(slotsOf(maskKeyOfSlot(slot))(slot)).toBe(true);
    }
    for (const [first, second] of [[0, 1], [3, 40], [33, 50]] as const) {
      const acc = new Accumulator(postings);
      acc.reset();
      acc.addTerm(railway, 1, first);
      acc.addTerm(station, 1, second);
      expect(acc.onlySlot(0)).toBe(-1); // railway station: two slots
      expect(acc.onlySlot(1)).toBe(first); // railway alone
    }
    expect(maskKeyOfSlot(31)).toBe(maskKeyOf(2 ** 31, 0));
  });
});
