import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runConsoleChat } from '../../../src/cli/console-chat.ts';
import { createLogger } from '../../../src/logger.ts';
import { openIndex } from '../../../src/startup.ts';

describe('the console chat (npm start without a token, in a terminal)', () => {
  it('says how to go live, and answers each question with cited passages on the shared pipeline', async () => {
    const { index } = await openIndex('data', createLogger('silent'));
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const done = runConsoleChat(index, input, output);
    input.write('China-Kyrgyzstan-Uzbekistan railway\n');
    input.write('What is the capital of France?\n');
    input.end();
    await done;
    expect(text).toMatch(/BOT_TOKEN/);
    expect(text).toMatch(/@BotFather/);
    expect(text).toMatch(/railway/i);
    expect(text).toMatch(/Ren Min Ri Bao · 2025-06-22 22:09/);
    expect(text).toMatch(/Nothing found for «What is the capital of France\?»/);
  });
});
