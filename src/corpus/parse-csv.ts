import { parse } from 'csv-parse/sync';
import { titleFromFileName } from './passage.ts';
import { detectLang, type CorpusWarning, type Document, type ParseResult } from './types.ts';

/**
 * Header names (lower case) of the columns a row's source is read from, in order of preference;
 * the text column is the first of TEXT_COLUMNS, else the column with the most text.
 */
const TEXT_COLUMNS = ['text', 'content', 'body', 'passage', 'summary', 'abstract', 'description', '正文', '内容', '內容', '文本', '摘要'];
const SOURCE_COLUMNS = {
  id: ['id'],
  title: ['title', 'headline', 'name', '标题', '標題', '题目', '題目'],
  publisher: ['publisher', 'source', 'author', '来源', '來源', '出处', '出處', '作者'],
  date: ['date', 'published', 'published_at', 'time', '日期', '时间', '時間'],
  section: ['section', 'category', '栏目', '欄目', '章节', '章節'],
  url: ['url', 'link', 'href', '链接', '鏈接', '連結'],
} as const;

/** Delimiters we recognise from the header line: comma, semicolon (spreadsheets in many locales), tab. */
const DELIMITERS = [',', ';', '\t'];

/**
 * Parses CSV with a header row: each row is one document of one passage. The text column is
 * found by name (text, content, body, passage, summary, …, case-insensitive), else it is the
 * column with the most text; title, publisher/source, date, section, url and id columns give the
 * passage's source (the title defaults to the file name). A row with the wrong number of fields,
 * or a quote never closed, is skipped with a warning naming its line; the rows after it still load.
 */
export function parseCsv(text: string, file: string): ParseResult {
  const warnings: CorpusWarning[] = [];
  const lines = text.split(/\r?\n/);
  const headerIndex = lines.findIndex((line) => line.trim() !== '');
  if (headerIndex < 0) return { documents: [], warnings };
  const delimiter = guessDelimiter(lines[headerIndex]!);
  const rows = readRows(lines.slice(headerIndex).join('\n'), delimiter, headerIndex, file, warnings);
  if (!rows) return { documents: [], warnings };
  const { header, records } = rows;
  const names = header.map((name) => name.trim().toLowerCase());
  const column = (candidates: readonly string[]) => {
    for (const candidate of candidates) {
      const index = names.indexOf(candidate);
      if (index >= 0) return index;
    }
    return -1;
  };
  const textColumn = column(TEXT_COLUMNS) >= 0 ? column(TEXT_COLUMNS) : longestColumn(records.map((record) => record.fields), header.length);
  const sourceColumn = Object.fromEntries(Object.entries(SOURCE_COLUMNS).map(([key, candidates]) => [key, column(candidates)])) as Record<keyof typeof SOURCE_COLUMNS, number>;
  const defaultTitle = titleFromFileName(file);
  const documents: Document[] = [];
  for (const { fields, line } of records) {
    const field = (index: number) => (index >= 0 && index !== textColumn ? fields[index]!.replace(/\s+/g, ' ').trim() || null : null);
    const body = fields[textColumn]!.replace(/\s+/g, ' ').trim();
    if (!body) {
      warnings.push({ file, line, message: `row skipped: no text in column "${header[textColumn]}"` });
      continue;
    }
    const id = field(sourceColumn.id) ?? `${file}#${line}`;
    const document: Document = {
      id,
      file,
      title: field(sourceColumn.title) ?? defaultTitle,
      publisher: field(sourceColumn.publisher),
      date: field(sourceColumn.date),
      url: field(sourceColumn.url),
      topic: null,
      passages: [],
    };
    document.passages.push({
      id,
      docId: id,
      text: body,
      title: document.title,
      publisher: document.publisher,
      date: document.date,
      section: field(sourceColumn.section),
      refs: [],
      url: document.url,
      topic: null,
      lang: detectLang(body),
      file,
    });
    documents.push(document);
  }
  return { documents, warnings };
}

interface Row {
  fields: string[];
  /** Line of the file where the row starts (1-based). */
  line: number;
}

/**
 * The header and the well-formed rows of `text` (which starts with the header, on line
 * `firstLine` + 1 of the file). A row csv-parse rejects is skipped with a warning; a quote never
 * closed swallows the rest of the file, so reading starts again on the line after the one it opened.
 */
function readRows(text: string, delimiter: string, firstLine: number, file: string, warnings: CorpusWarning[]): { header: string[]; records: Row[] } | null {
  let header: string[] | null = null;
  const records: Row[] = [];
  let rest = text;
  let offset = firstLine; // lines of the file before `rest`
  while (rest) {
    let lastLine = 0; // last line of `rest` read into a row or a skipped one
    let unclosed = false;
    const parsed = parse(rest, {
      delimiter,
      bom: true,
      raw: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        if (!error) return;
        if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
          unclosed = true;
          return;
        }
        const line = Number(error.lines);
        lastLine = Math.max(lastLine, line);
        warnings.push({ file, line: offset + line, message: `row skipped: ${describeCsvError(error.code, error.message)}` });
      },
    }) as unknown as { record: string[]; raw: string; info: { lines: number } }[];
    for (const { record, raw, info } of parsed) {
      // `raw` may begin with the blank lines skipped before the row.
      const line = info.lines - (raw.replace(/^\s+|\s+$/g, '').match(/\n/g)?.length ?? 0);
      lastLine = Math.max(lastLine, info.lines);
      if (!header) header = record;
      else records.push({ fields: record, line: offset + line });
    }
    const unclosedAt = unclosed ? lastLine + 1 : null;
    if (unclosedAt === null) break;
    // Skip the blank lines before the row that opened the quote, then that row.
    const restLines = rest.split('\n');
    let start = unclosedAt - 1;
    while (start < restLines.length && !restLines[start]!.trim()) start++;
    warnings.push({ file, line: offset + start + 1, message: 'row skipped: a quote is opened and never closed' });
    rest = restLines.slice(start + 1).join('\n');
    offset += start + 1;
    if (!header) return null;
    // The rows after it are data rows: parse them with the header already known.
    rest = `${header.map(quote(delimiter)).join(delimiter)}\n${rest}`;
    offset -= 1;
    header = null;
  }
  if (!header) {
    if (text.trim()) warnings.push({ file, line: firstLine + 1, message: 'file skipped: no header row' });
    return null;
  }
  return { header, records };
}

/** A field written back as CSV (to put a known header before the rows left to read). */
const quote = (delimiter: string) => (field: string) =>
  field.includes('"') || field.includes(delimiter) || /[\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;

function describeCsvError(code: string, message: string): string {
  if (code.startsWith('CSV_RECORD_INCONSISTENT')) return 'wrong number of fields';
  if (code === 'CSV_INVALID_CLOSING_QUOTE' || code === 'CSV_INVALID_OPENING_QUOTE') return 'a quote in the middle of a field (write it as "")';
  return message.replace(/ on line \d+$/, '');
}

/** The delimiter found most often in the header line, outside quotes; a comma when none is. */
function guessDelimiter(headerLine: string): string {
  const unquoted = headerLine.replace(/"[^"]*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = unquoted.split(delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

/** The column holding the most text over all rows: the text, when no header names it. */
function longestColumn(rows: string[][], width: number): number {
  const totals = new Array<number>(width).fill(0);
  for (const row of rows) row.forEach((field, i) => (totals[i]! += field.length));
  return totals.indexOf(Math.max(...totals));
}
