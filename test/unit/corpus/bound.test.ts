import { describe, expect, it } from 'vitest';
import { MAX_PASSAGE_TEXT_CHARS, MAX_SOURCE_FIELD_CHARS } from '../../../src/corpus/bound.ts';
import { parseFile } from '../../../src/corpus/load.ts';
import { MAX_PASSAGE_CHARS } from '../../../src/corpus/split.ts';
import { letters, prose } from '../../support/long-text.ts';

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

describe('documents are held within bounds at load, whatever their format', () => {
  it('splits a 1 MB JSON Lines record into passages of the usual size, losing no text', () => {
    const text = prose(1_000_000);
    const { documents } = parseFile(`${JSON.stringify({ id: 'big', title: 'Big', text })}\n`, 'big.jsonl')!;
    const passages = documents[0]!.passages;
    expect(passages.length).toBeGreaterThan(1_000_000 / MAX_PASSAGE_CHARS);
    expect(Math.max(...passages.map((p) => p.text.length))).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
    expect(passages[0]!.id).toBe('big'); // the record's id stays on its first passage
    expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
    expect(passages.every((p) => p.docId === 'big' && p.title === 'Big')).toBe(true);
    expect(passages.map((p) => p.text).join(' ')).toBe(text);
  });

  it('splits a 50,000-letter word and a huge fenced block', () => {
    const token = parseFile(`zqx ${letters(50_000)} end\n`, 't.txt')!.documents[0]!.passages;
    expect(Math.max(...token.map((p) => p.text.length))).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
    const fence = parseFile(`# Code\n\n\`\`\`\n${'x = 1\n'.repeat(100_000)}\`\`\`\n`, 'c.md')!.documents[0]!.passages;
    expect(Math.max(...fence.map((p) => p.text.length))).toBeLessThanOrEqual(MAX_PASSAGE_TEXT_CHARS);
  });

  it('cuts a 100,000-character title, publisher and section, never inside a surrogate pair', () => {
    const long = '😀'.repeat(50_000);
    const record = { id: 'r', title: letters(100_000), source: long, section: long, text: 'railway' };
    const passage = parseFile(JSON.stringify(record), 'r.jsonl')!.documents[0]!.passages[0]!;
    for (const field of [passage.title, passage.publisher, passage.section]) {
      expect(field!.length).toBeLessThanOrEqual(MAX_SOURCE_FIELD_CHARS);
      expect(field).toMatch(/…$/);
      expect(field).not.toMatch(LONE_SURROGATE);
    }
  });

  it('leaves ordinary passages alone (an XQuAD context of 3,326 characters stays one)', () => {
    const text = prose(3_326);
    const { documents } = parseFile(JSON.stringify({ id: 'q1', title: 'T', text }), 'q.jsonl')!;
    expect(documents[0]!.passages.map((p) => [p.id, p.text])).toEqual([['q1', text]]);
  });
});
