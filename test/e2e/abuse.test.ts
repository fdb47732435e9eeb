/** Floods, unlisted chats, blocked users and rejected formatting: the bot keeps serving everyone else. */
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, logLines, waitForLog } from '../support/bot-process.ts';
import { sendAndWait, sendAndWaitForReply } from '../support/e2e.ts';
import { DEFAULT_USER } from '../support/emulator.ts';
import { useBot } from '../support/use-bot.ts';

const FLOODER = { id: 300001, first_name: 'Flo', language_code: 'en' };
const CALM = { id: 300002, first_name: 'Cal', language_code: 'en' };
const STRANGER = { id: 300003, first_name: 'Str', language_code: 'en' };
const GROUP_FLOODER = { id: 300004, first_name: 'Gro', language_code: 'en' };
const ADMIN = { id: 300005, first_name: 'Adm', language_code: 'en' };
const GROUP = { id: -1001000000300, type: 'supergroup', title: 'Flooded' } as const;

// Tests elsewhere ask quickly from one user with no limit (RATE_LIMIT_PER_MINUTE=0); here a real one.
const t = useBot({
  before(emu) {
    emu.setBotStatus(GROUP, 'member');
  },
  env: { ALLOWED_CHAT_IDS: [DEFAULT_USER.id, FLOODER.id, CALM.id, GROUP.id].join(','), RATE_LIMIT_PER_MINUTE: '5', ADMIN_IDS: String(ADMIN.id) },
});

/** Messages a group flooder sends: well past the group's limit of 20 answers a minute. */
const GROUP_FLOOD = 40;

const sentTo = (chatId: number, since: number) =>
  t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && c.params.chat_id === chatId);

describe('abuse and faults', { timeout: E2E_TIMEOUT_MS }, () => {
  it('answers a flooding user up to the limit, says "slow down" once, then stays silent; others are served', async () => {
    const since = t.emu.mark();
    for (let i = 0; i < 12; i++) t.emu.sendUserMessage({ chat: 'private', from: FLOODER, text: `railway ${i}` });
    // A calm user's question after the flood is still answered.
    await sendAndWaitForReply(t.emu, { chat: 'private', from: CALM, text: 'natural gas pipeline' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const toFlooder = sentTo(FLOODER.id, since);
    const slowDowns = toFlooder.filter((c) => /slow down/i.test(String(c.params.text)));
    expect(slowDowns).toHaveLength(1);
    expect(toFlooder.length).toBe(6); // 5 answers and one "slow down"
  });

  it('a flood in a group meets the user limit only: the rest of the group is still served; /stats counts every refused message', async () => {
    const since = t.emu.mark();
    for (let i = 0; i < GROUP_FLOOD; i++) t.emu.sendUserMessage({ chat: GROUP, from: GROUP_FLOODER, text: `/ask railway ${i}` });
    // Another member asks after the flood: the flooder's refused messages did not spend the group's budget.
    const other = await sendAndWaitForReply(t.emu, { chat: GROUP, from: CALM, text: '/ask natural gas pipeline' });
    expect(other.message.text).not.toMatch(/slow down/i);
    // 5 answers and one "slow down" for the flooder, one answer for the other member.
    expect(sentTo(GROUP.id, since)).toHaveLength(7);
    const { message } = await sendAndWait(t.emu, { chat: 'private', from: ADMIN, text: '/stats' });
    // The private flood's 7 and this one's: every refused message counts, though few are logged.
    expect(message.text).toMatch(new RegExp(`Rate-limited: ${12 - 5 + GROUP_FLOOD - 5}\\b`));
  });

  it('ignores chats that are not in ALLOWED_CHAT_IDS', async () => {
    const since = t.emu.mark();
    t.emu.sendUserMessage({ chat: 'private', from: STRANGER, text: 'railway' });
    await sendAndWaitForReply(t.emu, { text: 'railway' }); // the default user is listed
    expect(sentTo(STRANGER.id, since)).toEqual([]);
  });

  it('sends a message again as plain text when Telegram rejects its formatting', async () => {
    const since = t.emu.mark();
    t.emu.failNext('sendMessage', { error_code: 400, description: "Bad Request: can't parse entities: unsupported start tag" });
    const { call } = await sendAndWaitForReply(t.emu, { text: 'China-Kyrgyzstan-Uzbekistan railway' });
    expect(call.params.parse_mode).toBeUndefined();
    expect(String(call.params.text)).not.toMatch(/<b>|<i>/);
    expect(String(call.params.text)).toMatch(/railway/);
    expect(t.emu.calls.slice(since).filter((c) => c.method === 'sendMessage' && !c.ok)).toHaveLength(1);
  });

  it('logs a user who blocked the bot once, without an apology or a crash, and keeps serving', async () => {
    const since = t.emu.mark();
    t.emu.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    t.emu.sendUserMessage({ text: 'railway' });
    await t.emu.waitForCall('sendMessage', (c) => !c.ok && c.error_code === 403, { since, timeoutMs: 10_000 });
    await sendAndWaitForReply(t.emu, { text: 'natural gas pipeline' });
    // Log lines are written asynchronously: wait for this one rather than read what has arrived so far.
    await waitForLog(t.bot, (l) => l.msg === 'chat unreachable');
    const unreachable = logLines(t.bot.stderr).filter((l) => l.msg === 'chat unreachable');
    expect(unreachable).toHaveLength(1);
    expect(t.bot.alive).toBe(true);
  });

  it('logged each flood once per limit, not once per refused message; never wrote its token and stops cleanly', async () => {
    expect(await t.bot.stop()).toBe(0);
    // The process has exited and its standard error is read to the end: every line it logged is here.
    const limited = logLines(t.bot.stderr).filter((l) => l.msg === 'rate limited');
    expect(limited.filter((l) => l.user === FLOODER.id)).toEqual([expect.objectContaining({ limit: 'user' })]); // 7 refused
    // 35 refused in the group, all by the flooder's own limit: one line.
    expect(limited.filter((l) => l.chat === GROUP.id).map((l) => l.limit)).toEqual(['user']);
    expect(limited).toHaveLength(2);
    // At start the admin has no private chat with the bot yet, so its own command menu is refused.
    t.expectCleanRun({ problems: [expect.objectContaining({ method: 'setMyCommands', description: 'Bad Request: chat not found' })] });
  });
});
