import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../../src/corpus/parse-markdown.ts';
import { MAX_PASSAGE_CHARS } from '../../../src/corpus/split.ts';

const parse = (text: string, file = 'docs/guide.md') => parseMarkdown(text, file, file);
const texts = (text: string, file?: string) => parse(text, file).documents[0]?.passages.map((p) => p.text) ?? [];

describe('parseMarkdown', () => {
  it('reads title, source, date and url from front matter', () => {
    const { documents, warnings } = parse(
      ['---', 'title: "Road Map"', "source: 'Example Press'", 'date: 2024-05-01', 'url: https://example.org/road', 'author: nobody', '---', '', 'Body text.'].join('\n'),
    );
    expect(warnings).toEqual([]);
    expect(documents[0]).toMatchObject({
      title: 'Road Map',
      publisher: 'Example Press',
      date: '2024-05-01',
      url: 'https://example.org/road',
    });
    expect(documents[0]?.passages[0]).toMatchObject({
      text: 'Body text.',
      title: 'Road Map',
      publisher: 'Example Press',
      date: '2024-05-01',
      url: 'https://example.org/road',
    });
  });

  it('does not index the front matter as text', () => {
    expect(texts('---\ntitle: T\nsource: S\n---\nOnly this.')).toEqual(['Only this.']);
  });

  it('warns about front matter without a closing line and reads the file as text', () => {
    const { documents, warnings } = parse('---\ntitle: T\n\nBody.');
    expect(warnings).toEqual([expect.objectContaining({ file: 'docs/guide.md', line: 1 })]);
    expect(documents[0]?.passages.map((p) => p.text).join(' ')).toContain('Body.');
  });

  it('takes the first level-1 heading as the title when front matter has none', () => {
    const { documents } = parse('# The Guide\n\nIntro.\n\n# Second Part\n\nMore.');
    expect(documents[0]?.title).toBe('The Guide');
    expect(documents[0]?.passages.map((p) => [p.text, p.title, p.section])).toEqual([
      ['Intro.', 'The Guide', null],
      ['More.', 'The Guide', 'Second Part'],
    ]);
  });

  it('prefers the front matter title over the first heading', () => {
    expect(parse('---\ntitle: From Front Matter\n---\n# Heading\n\nText.').documents[0]?.title).toBe('From Front Matter');
  });

  it('falls back to a title made from the file name', () => {
    expect(parse('Just text.', 'notes/road-map_2024.md').documents[0]?.title).toBe('road map 2024');
  });

  it('uses the heading path as the section', () => {
    const { documents } = parse(
      ['# Guide', '', '## Setup', '', 'Install it.', '', '### Tokens', '', 'Get a token.', '', '## Usage ##', '', 'Run it.'].join('\n'),
    );
    expect(documents[0]?.passages.map((p) => [p.text, p.section])).toEqual([
      ['Install it.', 'Setup'],
      ['Get a token.', 'Setup › Tokens'],
      ['Run it.', 'Usage'],
    ]);
  });

  it('joins the lines of a paragraph and strips inline markup', () => {
    expect(texts('Some **bold** and _soft_ text\nwith a [link](https://x.org) and `code`.')).toEqual([
      'Some bold and soft text with a link and code.',
    ]);
  });

  it('makes each list item a passage of its own', () => {
    expect(texts('Items:\n- first item\n- second item\n1. third item')).toEqual(['Items:', 'first item', 'second item', 'third item']);
  });

  it('keeps a fenced code block verbatim as one passage', () => {
    expect(texts('Before.\n\n```\nconst a = 1;\n\nconst b = 2;\n```\n\nAfter.')).toEqual([
      'Before.',
      'const a = 1;\n\nconst b = 2;',
      'After.',
    ]);
  });

  it('joins Chinese lines without a space', () => {
    expect(texts('中国与中亚\n国家合作。')).toEqual(['中国与中亚国家合作。']);
  });

  it('splits a long paragraph at sentence ends into passages of at most MAX_PASSAGE_CHARS', () => {
    const sentence = 'The railway links two cities and carries freight every day.';
    const paragraph = Array(30).fill(sentence).join(' ');
    const parts = texts(`## Long\n\n${paragraph}`);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
      expect(part.endsWith('.')).toBe(true);
    }
    expect(parts.join(' ')).toBe(paragraph);
    expect(new Set(parse(`## Long\n\n${paragraph}`).documents[0]?.passages.map((p) => p.section))).toEqual(new Set(['Long']));
  });

  it('numbers passage ids after the document id', () => {
    const { documents } = parse('One.\n\nTwo.');
    expect(documents[0]?.id).toBe('docs/guide.md');
    expect(documents[0]?.passages.map((p) => p.id)).toEqual(['docs/guide.md#1', 'docs/guide.md#2']);
  });

  it('returns no document for a file without text', () => {
    expect(parse('---\ntitle: Empty\n---\n\n# Only a heading\n').documents).toEqual([]);
  });
});
