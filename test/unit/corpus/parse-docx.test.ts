import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { parseDocx } from '../../../src/corpus/parse-docx.ts';

const fixture = async (name: string) => new Uint8Array(await readFile(fileURLToPath(new URL(`../../fixtures/documents/${name}`, import.meta.url))));

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** A minimal Word package: paragraphs as [style id or null, text], styles Title and Heading 1 defined. */
async function docx(paragraphs: Array<[string | null, string]>): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`);
  zip.file('_rels/.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`);
  zip.file('word/_rels/document.xml.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`);
  zip.file('word/styles.xml', `<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="${W}"><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>`);
  const body = paragraphs
    .map(([style, text]) => `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}<w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`)
    .join('');
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`);
  return zip.generateAsync({ type: 'uint8array' });
}

describe('parseDocx', () => {
  it('reads a LibreOffice-made .docx: core-property title, Heading 1 › Heading 2 sections, Chinese and English', async () => {
    const { documents, warnings } = await parseDocx(await fixture('rail-notes-zh.docx'), 'notes/rail-notes-zh.docx');
    expect(warnings).toEqual([]);
    const [document] = documents;
    expect(document).toMatchObject({ id: 'notes/rail-notes-zh.docx', file: 'notes/rail-notes-zh.docx', title: '中吉乌铁路项目笔记', publisher: null, date: null });
    expect(document!.passages.map((p) => [p.section, p.lang, p.text.slice(0, 12)])).toEqual([
      ['项目概况', 'zh', '中吉乌铁路从新疆喀什出发'],
      ['项目概况 › 线路走向', 'zh', '线路在吉尔吉斯斯坦境内要'],
      ['项目概况 › 建设进度', 'zh', '三国政府于二〇二四年六月'],
      ['Financing', 'en', 'The three go'],
      ['Financing › Loans', 'en', 'Part of the '],
    ]);
    expect(document!.passages.every((p) => p.title === '中吉乌铁路项目笔记')).toBe(true);
  });

  it('takes the title from the Title style without a core-property title, and never makes it a section', async () => {
    const bytes = await docx([['Title', 'Pipeline survey'], [null, 'Intro text.'], ['Heading1', 'Route'], [null, 'Along the valley &amp; the hills.']]);
    const [document] = (await parseDocx(bytes, 'survey.docx')).documents;
    expect(document!.title).toBe('Pipeline survey');
    expect(document!.passages.map((p) => [p.section, p.text])).toEqual([
      [null, 'Intro text.'],
      ['Route', 'Along the valley & the hills.'],
    ]);
  });

  it('falls back to the file name for the title', async () => {
    const [document] = (await parseDocx(await docx([[null, 'Only a paragraph.']]), 'dir/field_notes-2025.docx')).documents;
    expect(document!.title).toBe('field notes 2025');
  });

  it('skips a corrupt or foreign file with a warning naming it', async () => {
    const notZip = new TextEncoder().encode('this is not a zip file');
    const zip = new JSZip();
    zip.file('hello.txt', 'a zip, but not a Word document');
    const foreignZip = await zip.generateAsync({ type: 'uint8array' });
    const truncated = (await fixture('rail-notes-zh.docx')).slice(0, 2000);
    for (const bytes of [notZip, foreignZip, truncated]) {
      const { documents, warnings } = await parseDocx(bytes, 'broken.docx');
      expect(documents).toEqual([]);
      expect(warnings).toEqual([{ file: 'broken.docx', message: expect.stringMatching(/^file skipped: not a readable \.docx \(.+\)$/) }]);
    }
  });
});
