import { sourceParts, type Answer } from '../answer.ts';
import { cropSegments, highlight } from '../search/snippet.ts';

/** How to mark matched words in a terminal: ANSI bold on a TTY, `**word**` in a pipe. */
export interface TextStyle {
  bold: (text: string) => string;
  dim: (text: string) => string;
}

export const ANSI_STYLE: TextStyle = { bold: (t) => `\u001b[1m${t}\u001b[22m`, dim: (t) => `\u001b[2m${t}\u001b[22m` };
export const PLAIN_STYLE: TextStyle = { bold: (t) => `**${t}**`, dim: (t) => t };

/** Renders an answer for a person at a terminal: numbered passages, matches marked, a source line each. */
export function renderAnswerText(answer: Answer, style: TextStyle): string {
  if (answer.hits.length === 0) {
    return `Nothing found for «${answer.query}». Try fewer words, or ask in the other language (English / 中文).\n`;
  }
  return answer.hits
    .map((hit, i) => {
      const text = cropSegments(highlight(hit.passage.text, hit.terms))
        .map((s) => (s.match ? style.bold(s.text) : s.text))
        .join('');
      const source = sourceParts(hit.passage).join(' · ');
      const url = hit.passage.url ? `\n   ${hit.passage.url}` : '';
      return `${answer.offset + i + 1}. ${text}\n   ${style.dim(`— ${source}`)}${url}\n`;
    })
    .join('\n');
}
