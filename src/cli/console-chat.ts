import { createInterface } from 'node:readline';
import { answerQuestion } from '../answer.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { ANSI_STYLE, renderAnswerText } from './render-text.ts';

/**
 * A chat with the bot in the terminal, on the same answer pipeline, for trying the corpus out
 * before there is a bot token. Resolves when the user closes the input.
 */
export async function runConsoleChat(
  index: SearchIndex,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  output.write(
    'No BOT_TOKEN set, so this is a console chat with the bot. Ask a question (Ctrl+D to quit).\n' +
      'To go live on Telegram: get a token from @BotFather, put BOT_TOKEN=... in .env, and run npm start again.\n\n',
  );
  const lines = createInterface({ input, output, prompt: '? ' });
  lines.prompt();
  for await (const line of lines) {
    if (line.trim()) output.write(`\n${renderAnswerText(answerQuestion(index, line), ANSI_STYLE)}\n`);
    lines.prompt();
  }
}
