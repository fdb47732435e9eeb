/** Whatever users type — markup, 4096 characters, emoji, direction and zero-width marks — every reply is valid. */
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS } from '../support/bot-process.ts';
import { problems, sendAndWait } from '../support/e2e.ts';
import { useBot } from '../support/use-bot.ts';

const t = useBot();

const GROUP = { id: -1001000000009, type: 'supergroup', title: 'Hostile' } as const;

/** 4096 characters (UTF-16 units), the most a Telegram message holds. */
const fill = (unit: string) => unit.repeat(Math.ceil(4096 / unit.length)).slice(0, 4096);

const HOSTILE: Array<[string, string]> = [
  ['HTML', '<b>x</b> & <script>alert(1)</script>'],
  ['HTML around a real word', '<i>railway</i> &amp; <a href="javascript:x">trade</a>'],
  ['an unclosed tag', 'railway <b'],
  ['Markdown', '*a* _b_ `c` [x](y) ~~d~~ ||e|| \\*'],
  ['MarkdownV2 reserved characters', 'railway. (trade)! #1 + - = | { } > ~'],
  ['emoji', '🚂 railway 🇨🇳🇰🇬🇺🇿 👨‍👩‍👧‍👦'],
  ['emoji only', '😀😀😀'],
  ['right-to-left text and marks', '\u202Erailway\u202C \u200F مشروع السكك الحديدية \u200E'],
  ['zero-width characters', 'rail\u200Bway\u200D \uFEFFtrade\u2060'],
  ['only invisible characters', '\u200B\u200C\u200D\u2060\uFEFF'],
  ['an echo with < and &', 'What if x < y && z > w?'],
  ['entities-like ampersands', '&lt;b&gt; &#60; &amp &nbsp; R&D'],
  ['a 4096-character question that matches', fill('railway trade ')],
  ['a 4096-character question of markup', fill('<b>&amp;</b> ')],
  ['4096 emoji halves (2048 emoji)', fill('😀')],
  ['a long echo cut right at an emoji', `${'q'.repeat(198)}😀😀 <&>`],
  ['a long echo cut inside an escape', `${'z'.repeat(199)}&&&&<<<<`],
];

describe('hostile text in a private chat', { timeout: E2E_TIMEOUT_MS }, () => {
  it.each(HOSTILE)('answers %s with one valid message', async (_name, text) => {
    const since = t.emu.mark();
    const { message, asked } = await sendAndWait(t.emu, { text });
    expect(message.reply_to_message?.message_id).toBe(asked.message_id);
    expect(message.text!.length).toBeGreaterThan(0);
    expect(message.text!.length).toBeLessThanOrEqual(4096);
    expect(t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage')).toHaveLength(1);
    expect(problems(t.emu)).toEqual([]);
  });

  it('echoes markup back as text in "nothing found", never as formatting', async () => {
    const { message } = await sendAndWait(t.emu, { text: '<b>x</b> & <script>' });
    expect(message.text).toContain('«<b>x</b> & <script>»');
    expect(message.entities ?? []).toEqual([]);
  });

  it('shortens a long echo and keeps it within the limit', async () => {
    const { message } = await sendAndWait(t.emu, { text: fill('<&> ') });
    expect(message.text).toMatch(/^Nothing found for «[<&> ]+…»/);
    expect(message.text!.length).toBeLessThan(400);
  });

  it('answers /ask with hostile text in a group with one valid message', async () => {
    for (const [, text] of HOSTILE.slice(0, 6)) {
      const { message } = await sendAndWait(t.emu, { chat: GROUP, text: `/ask ${text}` });
      expect(message.text!.length).toBeLessThanOrEqual(4096);
    }
    expect(problems(t.emu)).toEqual([]);
  });

  it('made only valid calls, stops on SIGTERM with exit 0, and never wrote its token', async () => {
    expect(await t.bot.stop()).toBe(0);
    t.expectCleanRun();
  });
});
