import { describe, expect, it } from 'vitest';
import { parseJsonl } from '../../../src/corpus/parse-jsonl.ts';

const lines = (...records: (object | string)[]) => records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');

describe('parseJsonl', () => {
  it('makes one passage per record, with the record id as passage and document id', () => {
    const { documents, warnings } = parseJsonl(lines({ id: 'q1', text: 'Alpha text.' }, { id: 'q2', text: 'Beta text.' }), 'eval.jsonl');
    expect(warnings).toEqual([]);
    expect(documents.map((d) => [d.id, d.passages.map((p) => [p.id, p.docId, p.text, p.file])])).toEqual([
      ['q1', [['q1', 'q1', 'Alpha text.', 'eval.jsonl']]],
      ['q2', [['q2', 'q2', 'Beta text.', 'eval.jsonl']]],
    ]);
  });

  it('reads the optional fields', () => {
    const { documents } = parseJsonl(
      lines({ id: 'a', text: 'Text.', title: ' T ', source: 'S', date: '2024-01-01', url: 'https://x.org', section: 'Sec' }),
      'r.jsonl',
    );
    expect(documents[0]?.passages[0]).toMatchObject({ title: 'T', publisher: 'S', date: '2024-01-01', url: 'https://x.org', section: 'Sec' });
  });

  it('leaves missing or blank optional fields null', () => {
    const { documents } = parseJsonl(lines({ id: 'a', text: 'Text.', title: '  ' }), 'r.jsonl');
    expect(documents[0]?.passages[0]).toMatchObject({ title: null, publisher: null, date: null, url: null, section: null, refs: [] });
  });

  it('skips a line that is not JSON, naming its line number, and loads the rest', () => {
    const { documents, warnings } = parseJsonl(lines({ id: 'a', text: 'A.' }, '{not json', { id: 'b', text: 'B.' }), 'r.jsonl');
    expect(warnings).toEqual([expect.objectContaining({ file: 'r.jsonl', line: 2 })]);
    expect(documents.map((d) => d.id)).toEqual(['a', 'b']);
  });

  it('requires id and text, naming the bad line', () => {
    const { documents, warnings } = parseJsonl(
      lines({ id: 'ok', text: 'Fine.' }, { text: 'no id' }, { id: 'no-text' }, { id: '', text: 'x' }, { id: 'blank', text: '   ' }, [1, 2], { id: 'last', text: 'Last.' }),
      'r.jsonl',
    );
    expect(warnings.map((w) => w.line)).toEqual([2, 3, 4, 5, 6]);
    expect(warnings[0]?.message).toMatch(/"id"/);
    expect(warnings[1]?.message).toMatch(/"text"/);
    expect(documents.map((d) => d.id)).toEqual(['ok', 'last']);
  });

  it('counts line numbers across blank lines', () => {
    const { warnings } = parseJsonl(`${JSON.stringify({ id: 'a', text: 'A' })}\n\n\n{"id":"b"}`, 'r.jsonl');
    expect(warnings).toEqual([expect.objectContaining({ line: 4 })]);
  });

  it('skips a record whose optional field is not a string', () => {
    const { documents, warnings } = parseJsonl(lines({ id: 'a', text: 'A.', title: 5 }), 'r.jsonl');
    expect(documents).toEqual([]);
    expect(warnings[0]?.message).toMatch(/"title"/);
  });

  it('skips a repeated id and keeps the first record', () => {
    const { documents, warnings } = parseJsonl(lines({ id: 'a', text: 'First.' }, { id: 'a', text: 'Second.' }), 'r.jsonl');
    expect(documents.map((d) => d.passages[0]?.text)).toEqual(['First.']);
    expect(warnings).toEqual([expect.objectContaining({ line: 2, message: expect.stringMatching(/duplicate/) })]);
  });

  it('accepts a numeric id as a string', () => {
    expect(parseJsonl(lines({ id: 7, text: 'Seven.' }), 'r.jsonl').documents[0]?.id).toBe('7');
  });

  it('takes the language from "lang" when given, and detects it otherwise', () => {
    const { documents } = parseJsonl(lines({ id: 'a', text: 'English words.', lang: 'zh-CN' }, { id: 'b', text: '中国与中亚' }, { id: 'c', text: 'Plain English.' }), 'r.jsonl');
    expect(documents.map((d) => d.passages[0]?.lang)).toEqual(['zh', 'zh', 'en']);
  });

  it('collapses whitespace in the text', () => {
    expect(parseJsonl(lines({ id: 'a', text: '  two\n\nlines  ' }), 'r.jsonl').documents[0]?.passages[0]?.text).toBe('two lines');
  });
});
