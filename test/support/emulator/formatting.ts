/**
 * Message text formatting as the Bot API server does it: `parse_mode` parsing (a port of TDLib's
 * `parse_html`, `parse_markdown_v2` and `parse_markdown`), explicit `entities`, trimming and the
 * length limit, all measured in UTF-16 code units like Telegram's entity offsets.
 */
import type { MessageEntity } from 'grammy/types';
import { invalidRequest } from './errors.ts';

/** Plain text plus the entities that format it. */
export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

/** Telegram's limits, in UTF-16 code units after entity parsing. */
export const MAX_MESSAGE_TEXT_UTF16 = 4096;
export const MAX_CAPTION_UTF16 = 1024;

/** The inner part of a "can't parse entities: ..." error, worded as TDLib words it. */
export class EntityParseError extends Error {
  override name = 'EntityParseError';
}

interface Entity {
  type: MessageEntity['type'];
  offset: number;
  length: number;
  url?: string;
  user?: { id: number; is_bot: boolean; first_name: string };
  language?: string;
  custom_emoji_id?: string;
}

const byteOffset = (src: string, index: number): number => Buffer.byteLength(src.slice(0, index), 'utf8');
const isSpace = (c: string | undefined): boolean =>
  c === undefined || c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\v' || c === '\f' || c === '\0';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isHex = (c: string | undefined): boolean => isDigit(c) || (c !== undefined && /[a-fA-F]/.test(c));
const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** UTF-16 length, the unit of Telegram's entity offsets and text limits. */
export function utf16Length(text: string): number {
  return text.length;
}

/**
 * Validates a link the way `LinkManager::check_link` roughly does: http(s) (scheme optional),
 * tg: and ton: links. Returns the normalised URL (`https://example.com` → `https://example.com/`)
 * or undefined when Telegram would silently drop the link.
 */
export function checkLink(link: string): string | undefined {
  const trimmed = link.trim();
  if (!trimmed) return undefined;
  if (/^(tg|ton):/i.test(trimmed)) return trimmed;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  try {
    const url = new URL(withScheme);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

/** `tg://user?id=123` links become `text_mention` entities. */
function linkUserId(url: string): number | undefined {
  const m = /^tg:(?:\/\/)?user\?id=(\d+)$/i.exec(url.trim());
  return m?.[1] ? Number(m[1]) : undefined;
}

function linkEntity(url: string, offset: number, length: number, warnings: string[] | undefined): Entity | undefined {
  const userId = linkUserId(url);
  if (userId !== undefined) return { type: 'text_mention', offset, length, user: { id: userId, is_bot: false, first_name: '' } };
  const checked = checkLink(url);
  if (checked === undefined) warnings?.push(`link "${url}" is not a valid URL: Telegram silently drops the text_link`);
  return checked === undefined ? undefined : { type: 'text_link', offset, length, url: checked };
}

function decodeHtmlEntity(src: string, pos: number): { text: string; end: number } | undefined {
  let end = pos + 1;
  let code = 0;
  if (src[end] === '#') {
    end++;
    if (src[end] === 'x') {
      end++;
      while (isHex(src[end])) {
        code = code * 16 + parseInt(src[end] ?? '0', 16);
        end++;
        if (code >= 0x10ffff) return undefined;
      }
    } else {
      while (isDigit(src[end])) {
        code = code * 10 + Number(src[end]);
        end++;
        if (code >= 0x10ffff) return undefined;
      }
    }
    if (code === 0 || end - pos === 2 || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  } else {
    while (isAlpha(src[end])) end++;
    const named: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
    const value = named[src.slice(pos + 1, end)];
    if (value === undefined) return undefined;
    code = value;
  }
  if (src[end] === ';') end++;
  return { text: String.fromCodePoint(code), end };
}

const HTML_TAGS = new Set([
  'a', 'b', 'strong', 'i', 'em', 's', 'strike', 'del', 'u', 'ins', 'tg-spoiler', 'tg-emoji', 'span', 'pre', 'code', 'blockquote',
]);

/**
 * Parses Telegram HTML. Errors reproduce TDLib's messages ("Unsupported start tag "p" at byte offset 0",
 * "Unmatched end tag at byte offset 9, expected "</i>", found "</b>"", ...). Like Telegram, a bare `&`
 * that does not start a known entity is kept as text, and an `<a>` with an invalid URL yields no entity.
 */
export function parseHtml(src: string, warnings?: string[]): FormattedText {
  let out = '';
  const entities: Entity[] = [];
  const open: Array<{ tag: string; arg: string; offset: number; expandable: boolean }> = [];
  const at = (k: number): string | undefined => src[k];
  const fail = (message: string): never => {
    throw new EntityParseError(message);
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (c === '&') {
      const decoded = decodeHtmlEntity(src, i);
      if (decoded) {
        out += decoded.text;
        i = decoded.end;
        continue;
      }
    }
    if (c !== '<') {
      out += c;
      i++;
      continue;
    }
    const begin = i;
    i++;
    if (at(i) !== '/') {
      while (!isSpace(at(i)) && at(i) !== '>') i++;
      if (i >= src.length) fail(`Unclosed start tag at byte offset ${byteOffset(src, begin)}`);
      const tag = asciiLower(src.slice(begin + 1, i));
      if (!HTML_TAGS.has(tag)) fail(`Unsupported start tag "${tag}" at byte offset ${byteOffset(src, begin)}`);
      let arg = '';
      let expandable = false;
      while (at(i) !== '>') {
        while (i < src.length && isSpace(at(i))) i++;
        if (i >= src.length) fail(`Unclosed start tag at byte offset ${byteOffset(src, begin)}`);
        if (at(i) === '>') break;
        const nameBegin = i;
        while (!isSpace(at(i)) && at(i) !== '=' && at(i) !== '>') i++;
        const name = src.slice(nameBegin, i);
        if (!name) fail(`Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(src, begin)}`);
        while (i < src.length && isSpace(at(i))) i++;
        if (i >= src.length) fail(`Unclosed start tag at byte offset ${byteOffset(src, begin)}`);
        if (at(i) !== '=') {
          if (tag === 'blockquote' && name === 'expandable') {
            expandable = true;
            continue;
          }
          fail(`Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${byteOffset(src, begin)}`);
        }
        i++;
        while (i < src.length && isSpace(at(i))) i++;
        if (i >= src.length) fail(`Unclosed start tag at byte offset ${byteOffset(src, begin)}`);
        let value = '';
        const quote = at(i);
        if (quote !== '"' && quote !== "'") {
          const tokenBegin = i;
          while (isAlpha(at(i)) || isDigit(at(i)) || at(i) === '.' || at(i) === '-') i++;
          value = asciiLower(src.slice(tokenBegin, i));
          if (!isSpace(at(i)) && at(i) !== '>') fail(`Unexpected end of name token at byte offset ${byteOffset(src, tokenBegin)}`);
        } else {
          i++;
          while (i < src.length && at(i) !== quote) {
            if (at(i) === '&') {
              const decoded = decodeHtmlEntity(src, i);
              if (decoded) {
                value += decoded.text;
                i = decoded.end;
                continue;
              }
            }
            value += at(i);
            i++;
          }
          if (at(i) !== quote) fail(`Unclosed start tag at byte offset ${byteOffset(src, begin)}`);
          i++;
        }
        if (tag === 'a' && name === 'href') arg = value;
        else if (tag === 'code' && name === 'class' && value.startsWith('language-')) arg = value.slice('language-'.length);
        else if (tag === 'span' && name === 'class' && value.startsWith('tg-')) arg = value.slice('tg-'.length);
        else if (tag === 'tg-emoji' && name === 'emoji-id') arg = value;
        else if (tag === 'blockquote' && name === 'expandable') expandable = true;
      }
      if (tag === 'span' && arg !== 'spoiler') {
        fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(src, begin)}`);
      }
      open.push({ tag, arg, offset: out.length, expandable });
      i++; // '>'
      continue;
    }
    // an end tag
    if (open.length === 0) fail(`Unexpected end tag at byte offset ${byteOffset(src, begin)}`);
    while (!isSpace(at(i)) && at(i) !== '>') i++;
    const endName = src.slice(begin + 2, i);
    while (i < src.length && isSpace(at(i))) i++;
    if (at(i) !== '>') fail(`Unclosed end tag at byte offset ${byteOffset(src, begin)}`);
    const top = open.pop();
    if (!top) break;
    if (endName && endName !== top.tag) {
      fail(`Unmatched end tag at byte offset ${byteOffset(src, begin)}, expected "</${top.tag}>", found "</${endName}>"`);
    }
    i++; // '>'
    const offset = top.offset;
    const length = out.length - offset;
    if (length <= 0) continue;
    const last = entities.at(-1);
    const sameSpan = last !== undefined && last.offset === offset && last.length === length;
    switch (top.tag) {
      case 'b':
      case 'strong':
        entities.push({ type: 'bold', offset, length });
        break;
      case 'i':
      case 'em':
        entities.push({ type: 'italic', offset, length });
        break;
      case 'u':
      case 'ins':
        entities.push({ type: 'underline', offset, length });
        break;
      case 's':
      case 'strike':
      case 'del':
        entities.push({ type: 'strikethrough', offset, length });
        break;
      case 'tg-spoiler':
      case 'span':
        entities.push({ type: 'spoiler', offset, length });
        break;
      case 'tg-emoji':
        if (!/^\d{1,19}$/.test(top.arg) || BigInt(top.arg) <= 0n || BigInt(top.arg) > 2n ** 63n - 1n) {
          fail('Invalid custom emoji identifier specified');
        }
        entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: top.arg });
        break;
      case 'a': {
        const entity = linkEntity(top.arg || out.slice(offset), offset, length, warnings);
        if (entity) entities.push(entity);
        break;
      }
      case 'pre':
        if (sameSpan && last.type === 'code') {
          last.type = 'pre'; // <pre><code class="language-x">…</code></pre>
        } else {
          entities.push({ type: 'pre', offset, length });
        }
        break;
      case 'code':
        if (sameSpan && last.type === 'pre') {
          if (top.arg) last.language = top.arg;
        } else {
          entities.push(top.arg ? { type: 'code', offset, length, language: top.arg } : { type: 'code', offset, length });
        }
        break;
      case 'blockquote':
        entities.push({ type: top.expandable ? 'expandable_blockquote' : 'blockquote', offset, length });
        break;
    }
  }
  const unclosed = open.at(-1);
  if (unclosed) fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  for (const entity of entities) if (entity.type === 'code') delete entity.language;
  return { text: out, entities: entities as MessageEntity[] };
}

const MARKDOWN_V2_RESERVED = '_*[]()~`>#+-=|{}.!';
type V2Kind = 'Bold' | 'Italic' | 'Underline' | 'Strikethrough' | 'Spoiler' | 'Code' | 'Pre' | 'PreCode' | 'TextUrl' | 'CustomEmoji';

/** Parses MarkdownV2 with TDLib's rules, including "Character 'x' is reserved and must be escaped with the preceding '\'". */
export function parseMarkdownV2(src: string, warnings?: string[]): FormattedText {
  let out = '';
  const entities: Entity[] = [];
  const open: Array<{ kind: V2Kind; arg: string; offset: number; byte: number; textBegin: number }> = [];
  let quoteStart: number | undefined;
  let quoteExpandable = false;
  const fail = (message: string): never => {
    throw new EntityParseError(message);
  };
  const reservedError = (c: string): never => fail(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
  const closeQuote = (): void => {
    if (quoteStart === undefined) return;
    let end = out.length;
    if (out.endsWith('\n')) end--;
    if (end > quoteStart) entities.push({ type: quoteExpandable ? 'expandable_blockquote' : 'blockquote', offset: quoteStart, length: end - quoteStart });
    quoteStart = undefined;
    quoteExpandable = false;
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i] ?? '';
    const lineStart = i === 0 || src[i - 1] === '\n';
    if (lineStart && open.length === 0) {
      if (c === '>' || (c === '*' && src.startsWith('**>', i))) {
        if (quoteStart === undefined) quoteStart = out.length;
        if (c === '*') {
          quoteExpandable = true;
          i += 2;
        }
        continue;
      }
      closeQuote();
    }
    if (c === '\\' && i + 1 < src.length && (src.charCodeAt(i + 1) ?? 0) > 0 && (src.charCodeAt(i + 1) ?? 0) <= 126) {
      i++;
      out += src[i];
      continue;
    }
    const top = open.at(-1);
    const reserved = top && (top.kind === 'Code' || top.kind === 'Pre' || top.kind === 'PreCode') ? '`' : MARKDOWN_V2_RESERVED;
    if (quoteStart !== undefined && c === '|' && src.startsWith('||', i) && (i + 2 === src.length || src[i + 2] === '\n') && quoteExpandable && !top) {
      i++;
      continue;
    }
    if (!reserved.includes(c)) {
      out += c;
      continue;
    }
    let isEnd = false;
    if (top) {
      switch (top.kind) {
        case 'Bold':
          isEnd = c === '*';
          break;
        case 'Italic':
          isEnd = c === '_' && src[i + 1] !== '_';
          break;
        case 'Code':
          isEnd = c === '`';
          break;
        case 'Pre':
        case 'PreCode':
          isEnd = src.startsWith('```', i);
          break;
        case 'TextUrl':
        case 'CustomEmoji':
          isEnd = c === ']';
          break;
        case 'Underline':
          isEnd = src.startsWith('__', i);
          break;
        case 'Strikethrough':
          isEnd = c === '~';
          break;
        case 'Spoiler':
          isEnd = src.startsWith('||', i);
          break;
      }
    }
    if (!isEnd) {
      const byte = byteOffset(src, i);
      let kind: V2Kind;
      let arg = '';
      switch (c) {
        case '_':
          kind = src[i + 1] === '_' ? 'Underline' : 'Italic';
          if (kind === 'Underline') i++;
          break;
        case '*':
          kind = 'Bold';
          break;
        case '~':
          kind = 'Strikethrough';
          break;
        case '|':
          if (src[i + 1] !== '|') reservedError(c);
          i++;
          kind = 'Spoiler';
          break;
        case '[':
          kind = 'TextUrl';
          break;
        case '`':
          if (src.startsWith('```', i)) {
            i += 3;
            kind = 'Pre';
            let languageEnd = i;
            while (!isSpace(src[languageEnd]) && src[languageEnd] !== '`') languageEnd++;
            if (i !== languageEnd && languageEnd < src.length && src[languageEnd] !== '`') {
              kind = 'PreCode';
              arg = src.slice(i, languageEnd);
              i = languageEnd;
            }
            if (src[i] === '\n' || src[i] === '\r') {
              if ((src[i + 1] === '\n' || src[i + 1] === '\r') && src[i] !== src[i + 1]) i += 2;
              else i++;
            }
            i--;
          } else {
            kind = 'Code';
          }
          break;
        case '!':
          if (src[i + 1] !== '[') reservedError(c);
          i++;
          kind = 'CustomEmoji';
          break;
        default:
          return reservedError(c);
      }
      open.push({ kind, arg, offset: out.length, byte, textBegin: out.length });
      continue;
    }
    const entry = open.pop();
    if (!entry) continue;
    const offset = entry.offset;
    const length = out.length - offset;
    let entity: Entity | undefined;
    switch (entry.kind) {
      case 'Bold':
        entity = { type: 'bold', offset, length };
        break;
      case 'Italic':
        entity = { type: 'italic', offset, length };
        break;
      case 'Strikethrough':
        entity = { type: 'strikethrough', offset, length };
        break;
      case 'Code':
        entity = { type: 'code', offset, length };
        break;
      case 'Underline':
        i++;
        entity = { type: 'underline', offset, length };
        break;
      case 'Spoiler':
        i++;
        entity = { type: 'spoiler', offset, length };
        break;
      case 'Pre':
      case 'PreCode':
        i += 2;
        entity = entry.kind === 'PreCode' ? { type: 'pre', offset, length, language: entry.arg } : { type: 'pre', offset, length };
        break;
      case 'TextUrl': {
        let url = '';
        if (src[i + 1] !== '(') {
          url = out.slice(entry.textBegin);
        } else {
          i += 2;
          const urlBegin = i;
          while (i < src.length && src[i] !== ')') {
            if (src[i] === '\\' && (src.charCodeAt(i + 1) || 0) > 0 && (src.charCodeAt(i + 1) || 0) <= 126) {
              url += src[i + 1];
              i += 2;
              continue;
            }
            url += src[i];
            i++;
          }
          if (src[i] !== ')') fail(`Can't find end of a URL at byte offset ${byteOffset(src, urlBegin)}`);
        }
        entity = linkEntity(url, offset, length, warnings);
        break;
      }
      case 'CustomEmoji': {
        if (src[i + 1] !== '(') fail('Custom emoji entity must contain a tg://emoji URL');
        i += 2;
        const urlBegin = i;
        let url = '';
        while (i < src.length && src[i] !== ')') {
          url += src[i];
          i++;
        }
        if (src[i] !== ')') fail(`Can't find end of a custom emoji URL at byte offset ${byteOffset(src, urlBegin)}`);
        const id = /^tg:\/\/emoji\?id=(\d+)$/.exec(url)?.[1];
        if (!id) fail('Invalid custom emoji identifier specified');
        entity = { type: 'custom_emoji', offset, length, custom_emoji_id: id ?? '' };
        break;
      }
    }
    if (entity && length > 0) entities.push(entity);
  }
  const unclosed = open.at(-1);
  if (unclosed) fail(`Can't find end of ${unclosed.kind} entity at byte offset ${unclosed.byte}`);
  closeQuote();
  return { text: out, entities: entities as MessageEntity[] };
}

/** Parses legacy Markdown (`*bold*`, `_italic_`, `` `code` ``, ```` ```pre``` ````, `[text](url)`). */
export function parseMarkdown(src: string, warnings?: string[]): FormattedText {
  let out = '';
  const entities: Entity[] = [];
  for (let i = 0; i < src.length; i++) {
    const c = src[i] ?? '';
    if (c !== '_' && c !== '*' && c !== '`' && c !== '[') {
      out += c;
      continue;
    }
    const begin = i;
    const endChar = c === '[' ? ']' : c;
    let isPre = false;
    let language = '';
    i++;
    if (c === '`' && src[i] === '`' && src[i + 1] === '`') {
      i += 2;
      isPre = true;
      let languageEnd = i;
      while (!isSpace(src[languageEnd]) && src[languageEnd] !== '`') languageEnd++;
      if (i !== languageEnd && languageEnd < src.length && src[languageEnd] !== '`') {
        language = src.slice(i, languageEnd);
        i = languageEnd;
      }
      if (src[i] === '\n' || src[i] === '\r') {
        if ((src[i + 1] === '\n' || src[i + 1] === '\r') && src[i] !== src[i + 1]) i += 2;
        else i++;
      }
    }
    const offset = out.length;
    while (i < src.length && (src[i] !== endChar || (isPre && !(src[i + 1] === '`' && src[i + 2] === '`')))) {
      out += src[i];
      i++;
    }
    if (i >= src.length) throw new EntityParseError(`Can't find end of the entity starting at byte offset ${byteOffset(src, begin)}`);
    const length = out.length - offset;
    if (length > 0) {
      if (c === '_') entities.push({ type: 'italic', offset, length });
      else if (c === '*') entities.push({ type: 'bold', offset, length });
      else if (c === '`') {
        entities.push(isPre ? (language ? { type: 'pre', offset, length, language } : { type: 'pre', offset, length }) : { type: 'code', offset, length });
      } else {
        let url = out.slice(offset);
        if (src[i + 1] === '(') {
          i += 2;
          url = '';
          while (i < src.length && src[i] !== ')') {
            url += src[i];
            i++;
          }
        }
        const entity = linkEntity(url, offset, length, warnings);
        if (entity) entities.push(entity);
      }
    }
    if (isPre) i += 2;
  }
  return { text: out, entities: entities as MessageEntity[] };
}

const TRIMMABLE = /[ \t\r\n\v\f]/;

/** Orders entities as Telegram returns them (by offset, outer first) and drops formatting nested in code/pre. */
export function normalizeEntities(entities: readonly MessageEntity[]): MessageEntity[] {
  const sorted = entities
    .map((e) => ({ ...e }))
    .filter((e) => e.length > 0)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  const kept: MessageEntity[] = [];
  for (const entity of sorted) {
    const insideCode = kept.some(
      (k) => (k.type === 'code' || k.type === 'pre') && k.offset <= entity.offset && entity.offset + entity.length <= k.offset + k.length,
    );
    if (!insideCode) kept.push(entity);
  }
  return kept;
}

/** Strips leading and trailing whitespace like Telegram does, shifting and clipping entities. */
export function trimFormatted(formatted: FormattedText): FormattedText {
  const { text } = formatted;
  let start = 0;
  let end = text.length;
  while (start < end && TRIMMABLE.test(text[start] ?? '')) start++;
  while (end > start && TRIMMABLE.test(text[end - 1] ?? '')) end--;
  if (start === 0 && end === text.length) return { text, entities: normalizeEntities(formatted.entities) };
  const entities: MessageEntity[] = [];
  for (const e of formatted.entities) {
    const from = Math.max(e.offset, start);
    const to = Math.min(e.offset + e.length, end);
    if (to > from) entities.push({ ...e, offset: from - start, length: to - from });
  }
  return { text: text.slice(start, end), entities: normalizeEntities(entities) };
}

const ENTITY_TYPES = new Set<string>([
  'mention', 'hashtag', 'cashtag', 'bot_command', 'url', 'email', 'phone_number', 'bold', 'italic', 'underline', 'strikethrough',
  'spoiler', 'blockquote', 'expandable_blockquote', 'code', 'pre', 'text_link', 'text_mention', 'custom_emoji', 'date_time',
]);

export interface FormatOptions {
  /** What the limit error says and how it is worded (sendMessage vs an inline result). */
  tooLong?: string;
  empty?: string;
  maxLength?: number;
}

/**
 * Turns `text` + `parse_mode`/`entities` into what Telegram stores, or throws the Bot API's 400.
 * Explicit `entities` win over `parse_mode`, as in the Bot API. Warnings (entities clipped to the text)
 * are pushed to `warnings`.
 */
export function formatText(
  text: string,
  parseMode: unknown,
  explicitEntities: unknown,
  warnings: string[] = [],
  options: FormatOptions = {},
): FormattedText {
  let formatted: FormattedText;
  if (Array.isArray(explicitEntities) && explicitEntities.length > 0) {
    const entities: MessageEntity[] = [];
    for (const raw of explicitEntities as MessageEntity[]) {
      if (!ENTITY_TYPES.has(raw.type)) throw invalidRequest(`can't parse entities: unsupported entity type "${String(raw.type)}"`);
      const end = Math.min(raw.offset + raw.length, text.length);
      if (raw.offset < 0 || raw.length <= 0 || end <= raw.offset) {
        warnings.push(`entity ${raw.type} at ${raw.offset}+${raw.length} is outside the text and was dropped`);
        continue;
      }
      if (end !== raw.offset + raw.length) warnings.push(`entity ${raw.type} at ${raw.offset}+${raw.length} was clipped to the text`);
      entities.push({ ...raw, length: end - raw.offset });
    }
    formatted = { text, entities };
  } else {
    const mode = typeof parseMode === 'string' ? parseMode.toLowerCase() : '';
    try {
      if (mode === 'html') formatted = parseHtml(text, warnings);
      else if (mode === 'markdownv2') formatted = parseMarkdownV2(text, warnings);
      else if (mode === 'markdown') formatted = parseMarkdown(text, warnings);
      else if (mode === '') formatted = { text, entities: [] };
      else throw invalidRequest('unsupported parse_mode');
    } catch (error) {
      if (error instanceof EntityParseError) throw invalidRequest(`can't parse entities: ${error.message}`);
      throw error;
    }
  }
  const trimmed = trimFormatted(formatted);
  if (trimmed.text.length === 0) {
    throw invalidRequest(options.empty ?? 'message text is empty', 'text is empty after entity parsing and trimming');
  }
  const max = options.maxLength ?? MAX_MESSAGE_TEXT_UTF16;
  const length = utf16Length(trimmed.text);
  if (length > max) {
    throw invalidRequest(options.tooLong ?? 'message is too long', `text is ${length} UTF-16 code units after entity parsing (at most ${max})`);
  }
  return trimmed;
}

/** The `bot_command` and `mention` entities a Telegram client attaches to a typed message. */
export function detectEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  for (const m of text.matchAll(/(^|\s)(\/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?)(?=$|[\s.,!?;:])/g)) {
    entities.push({ type: 'bot_command', offset: (m.index ?? 0) + (m[1]?.length ?? 0), length: m[2]?.length ?? 0 });
  }
  for (const m of text.matchAll(/(^|[^\w@/])(@[a-zA-Z][a-zA-Z0-9_]{3,31})(?![\w@])/g)) {
    entities.push({ type: 'mention', offset: (m.index ?? 0) + (m[1]?.length ?? 0), length: m[2]?.length ?? 0 });
  }
  return entities.sort((a, b) => a.offset - b.offset);
}
