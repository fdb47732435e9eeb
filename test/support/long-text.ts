/** Text of a chosen size for tests of bounds: huge passages, endless words. */

const WORDS = 'railway gas pipeline trade corridor freight border customs Kashgar Andijan'.split(' ');

/** About `chars` characters of sentences, each numbered so that none repeats (none is dropped as a duplicate). */
export function prose(chars: number): string {
  let text = '';
  for (let i = 0; text.length < chars; i++) text += `${WORDS[(i * 7 + (i >> 3)) % WORDS.length]}${i % 13 === 12 ? ` no${i}. ` : ' '}`;
  return text.trim();
}

/** One word of `n` letters. */
export function letters(n: number): string {
  return Array.from({ length: n }, (_, i) => 'abcdefghij'[(i * 7) % 10]).join('');
}
