import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import type { Logger } from '../logger.ts';
import { STRINGS, type UiLang } from './i18n.ts';

/** Commands only admins see and may use. */
export const ADMIN_COMMANDS = ['stats', 'reload'] as const;

const LANGS: UiLang[] = ['en', 'zh'];
const languageCode = (lang: UiLang) => (lang === 'zh' ? 'zh' : undefined);

/** Registers the command menus, in English and Chinese, for private chats and for groups. */
export async function registerCommands(api: Api): Promise<void> {
  for (const lang of LANGS) {
    const s = STRINGS[lang];
    await api.setMyCommands(privateCommands(lang), { scope: { type: 'all_private_chats' }, language_code: languageCode(lang) });
    await api.setMyCommands(
      [
        { command: 'ask', description: s.commandAsk },
        { command: 'help', description: s.commandHelp },
        { command: 'sources', description: s.commandSources },
      ],
      { scope: { type: 'all_group_chats' }, language_code: languageCode(lang) },
    );
  }
}

/** One admin's private chat gets the private menu plus the admin commands, in both languages. */
export async function setAdminMenu(api: Api, adminId: number): Promise<void> {
  for (const lang of LANGS) {
    const s = STRINGS[lang];
    const admin: BotCommand[] = [
      { command: 'stats', description: s.commandStats },
      { command: 'reload', description: s.commandReload },
    ];
    await api.setMyCommands([...privateCommands(lang), ...admin], { scope: { type: 'chat', chat_id: adminId }, language_code: languageCode(lang) });
  }
}

/**
 * Sets each admin's menu at start-up. Telegram refuses a chat scope for a user who has not started
 * a chat with the bot: that admin gets the menu with their next message instead (see the admin feature).
 */
export async function setAdminMenus(api: Api, adminIds: ReadonlySet<number>, logger: Logger): Promise<void> {
  for (const id of adminIds) {
    await setAdminMenu(api, id).catch((error: unknown) =>
      logger.info({ user: id, error: (error as Error).message }, 'admin command menu not set yet: set at their next message'),
    );
  }
}

function privateCommands(lang: UiLang): BotCommand[] {
  const s = STRINGS[lang];
  return [
    { command: 'start', description: s.commandStart },
    { command: 'help', description: s.commandHelp },
    { command: 'sources', description: s.commandSources },
  ];
}
