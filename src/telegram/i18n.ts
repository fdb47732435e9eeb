/** Languages the bot speaks; anything but Chinese gets English. */
export type UiLang = 'en' | 'zh';

/** Picks the UI language from Telegram's `language_code` (zh, zh-hans, zh-TW… → Chinese). */
export function uiLangOf(languageCode: string | undefined): UiLang {
  return languageCode?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** Every string the bot shows, in each language. Values with `{x}` are filled by `format`. */
export const STRINGS = {
  en: {
    start: 'Hi! I answer questions from {corpus}, quoting the passages with their sources.\n\nJust send me a question, in English or Chinese.',
    help:
      '<b>How to use me</b>\n' +
      '• In this chat: send any question{examples}\n' +
      '• In groups: <code>/ask your question</code>, or reply <code>/ask</code> to a message to look up its text, or reply to one of my answers.\n' +
      '• In any chat: type <code>@{bot} words</code> to share a passage with its source.\n\n' +
      '/sources — the documents I know',
    helpExamples: ', e.g. {examples}',
    helpExamplesOr: ' or ',
    nothingFound: 'Nothing found for «{query}».\nTry fewer or other words, ask in Chinese (中文), or see /help.',
    askUsage: 'Ask me like this: <code>/ask your question</code>, or reply <code>/ask</code> to a message.',
    sourcesHeader: '<b>{documents} documents, {passages} passages</b>',
    sourcesMore: '…and {count} more',
    passages: 'passages',
    more: 'More ›',
    previous: '‹ Back',
    share: 'Share',
    expired: 'This button has expired: please ask again.',
    apology: 'Sorry, something went wrong with that request. Please try again.',
    slowDown: 'Slow down, please: too many questions at once. I will answer again in a few seconds.',
    unknownCommand: 'I don’t know that command. See /help.',
    inlineHint: 'Type words to search the documents',
    inlineNothing: 'Nothing found: tap for help',
    commandStart: 'Start and introduction',
    commandHelp: 'How to ask',
    commandSources: 'The documents I answer from',
    commandAsk: 'Look something up: /ask question',
    commandStats: 'Statistics (admins)',
    commandReload: 'Re-read the documents (admins)',
    stats:
      '<b>Statistics</b>\n' +
      '{documents} documents, {passages} passages\n' +
      'Index loaded {loadedAt} in {loadMs} ms\n' +
      'Up for {uptime}\n' +
      'Updates handled: {updates}\n' +
      'Questions answered: {questions} (nothing found: {nothingFound})\n' +
      'Rate-limited: {rateLimited}\n' +
      '{answerTimes}',
    statsAnswerTimes: 'Answer time (last {count}): p50 {p50} ms · p99 {p99} ms',
    statsNoAnswers: 'Answer time: no questions yet',
    reloadDone: 'Reloaded in {ms} ms: {documents} documents, {passages} passages (before: {oldDocuments} documents, {oldPassages} passages).',
    reloadFailed: 'Reload failed; still answering from the previous index ({documents} documents, {passages} passages).\n<code>{reason}</code>',
    reloadBusy: 'A reload is already running.',
    reloadStarted: 'Reloading the documents; answering from the current index meanwhile.',
    uploadAdminsOnly: 'Only the bot’s admins can add documents. To look something up, send me a question.',
    uploadUnknownKind: 'I can’t read «{name}»: I read {extensions} files.',
    uploadTooBig: '«{name}» is {size} MB; bots can download files of up to 20 MB. Split it, or copy it into the data folder on the server.',
    uploadFailed: 'Could not add «{name}»: {reason}',
    uploadStarted: 'Received «{name}». Indexing it; answering from the current index meanwhile.',
    uploadQueued: 'Received «{name}». It will be indexed once the reload in progress is done.',
    uploadDone: 'Indexed <b>{name}</b>: {passages} passages from {titles}. Now {documents} documents, {total} passages.',
    uploadRenamed: 'Another file is already called «{wanted}», so this one is saved as «{name}».',
    uploadUnchanged: '«{name}» is already in the documents with the same content: nothing changed.',
    uploadNothingNew: 'Nothing new from <b>{name}</b>: its passages are already indexed from other documents. The file is kept.',
    uploadNothingRead: 'Nothing could be read from «{name}», so it was not kept.',
    uploadGarbled: '«{name}» looks binary or garbled ({percent}% unreadable characters), so it was not kept. Save it as UTF-8 text and send it again.',
    uploadSomeUnreadable: '{count} characters could not be read: is the file saved as UTF-8?',
    uploadReloadFailed: 'Saved «{name}», but indexing failed; still answering from the previous index. It will be read at the next /reload or restart.\n<code>{reason}</code>',
    uploadWarnings: 'Warnings:',
    uploadMoreTitles: '{count} more',
  },
  zh: {
    start: '你好！我根据{corpus}回答问题，并引用原文段落和出处。\n\n直接发送问题即可，中英文均可。',
    help:
      '<b>使用方法</b>\n' +
      '• 私聊：直接发送问题{examples}\n' +
      '• 群组：<code>/ask 问题</code>，或用 <code>/ask</code> 回复一条消息来查询其内容，或直接回复我的回答。\n' +
      '• 任意聊天：输入 <code>@{bot} 关键词</code>，分享带出处的段落。\n\n' +
      '/sources — 我所依据的文档',
    helpExamples: '，例如 {examples}',
    helpExamplesOr: ' 或 ',
    nothingFound: '没有找到与「{query}」相关的内容。\n试试更少或不同的词、用英文提问，或查看 /help。',
    askUsage: '请这样提问：<code>/ask 问题</code>，或用 <code>/ask</code> 回复一条消息。',
    sourcesHeader: '<b>{documents} 篇文档，{passages} 个段落</b>',
    sourcesMore: '……另有 {count} 篇',
    passages: '段',
    more: '更多 ›',
    previous: '‹ 上一页',
    share: '分享',
    expired: '此按钮已过期，请重新提问。',
    apology: '抱歉，处理请求时出错了，请再试一次。',
    slowDown: '请慢一点：提问太频繁了，几秒钟后我会继续回答。',
    unknownCommand: '没有这个命令，请查看 /help。',
    inlineHint: '输入关键词搜索文档',
    inlineNothing: '没有找到：点击查看帮助',
    commandStart: '开始与介绍',
    commandHelp: '如何提问',
    commandSources: '我所依据的文档',
    commandAsk: '查询：/ask 问题',
    commandStats: '运行统计（管理员）',
    commandReload: '重新读取文档（管理员）',
    stats:
      '<b>运行统计</b>\n' +
      '{documents} 篇文档，{passages} 个段落\n' +
      '索引加载于 {loadedAt}，用时 {loadMs} 毫秒\n' +
      '已运行 {uptime}\n' +
      '已处理更新：{updates}\n' +
      '已回答问题：{questions}（无结果：{nothingFound}）\n' +
      '被限流：{rateLimited}\n' +
      '{answerTimes}',
    statsAnswerTimes: '回答用时（最近 {count} 次）：p50 {p50} 毫秒 · p99 {p99} 毫秒',
    statsNoAnswers: '回答用时：尚无问题',
    reloadDone: '重新加载完成，用时 {ms} 毫秒：{documents} 篇文档，{passages} 个段落（之前：{oldDocuments} 篇文档，{oldPassages} 个段落）。',
    reloadFailed: '重新加载失败，仍使用之前的索引（{documents} 篇文档，{passages} 个段落）。\n<code>{reason}</code>',
    reloadBusy: '已有一次重新加载正在进行。',
    reloadStarted: '正在重新加载文档；在此期间仍使用当前索引回答。',
    uploadAdminsOnly: '只有机器人的管理员可以添加文档。如需查询，请直接发送问题。',
    uploadUnknownKind: '无法读取「{name}」：我只能读取 {extensions} 文件。',
    uploadTooBig: '「{name}」大小为 {size} MB；机器人只能下载不超过 20 MB 的文件。请拆分文件，或直接复制到服务器上的数据文件夹。',
    uploadFailed: '无法添加「{name}」：{reason}',
    uploadStarted: '已收到「{name}」，正在建立索引；在此期间仍使用当前索引回答。',
    uploadQueued: '已收到「{name}」，将在当前的重新加载完成后建立索引。',
    uploadDone: '已索引 <b>{name}</b>：{passages} 个段落，来自 {titles}。现共有 {documents} 篇文档，{total} 个段落。',
    uploadRenamed: '已有另一个名为「{wanted}」的文件，因此本文件保存为「{name}」。',
    uploadUnchanged: '「{name}」已在文档中且内容相同，未做更改。',
    uploadNothingNew: '<b>{name}</b> 没有新内容：其段落已从其他文档索引。文件已保留。',
    uploadNothingRead: '无法从「{name}」读取任何内容，因此未保留该文件。',
    uploadGarbled: '「{name}」似乎是二进制文件或乱码（{percent}% 的字符无法读取），因此未保留。请另存为 UTF-8 文本后重新发送。',
    uploadSomeUnreadable: '有 {count} 个字符无法读取：文件是否以 UTF-8 保存？',
    uploadReloadFailed: '已保存「{name}」，但建立索引失败；仍使用之前的索引。它将在下次 /reload 或重启时被读取。\n<code>{reason}</code>',
    uploadWarnings: '警告：',
    uploadMoreTitles: '另有 {count} 篇',
  },
} as const satisfies Record<UiLang, Record<string, string>>;

export type StringKey = keyof (typeof STRINGS)['en'];

/** A UI string in a language with `{name}` placeholders filled in (values are inserted as given). */
export function format(lang: UiLang, key: StringKey, values: Record<string, string | number> = {}): string {
  return STRINGS[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}
