/**
 * Words that carry no meaning for retrieval. Question words are here on purpose: "what", "how
 * many", 什么, 多少 say how to answer, not what to look for, so they must not drive ranking.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below
  between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each
  few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself
  him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't
  my myself no nor not of off on once only or other ought our ours ourselves out over own same shan't she she'd
  she'll she's should shouldn't so some such than that that's the their theirs them themselves then there there's
  these they they'd they'll they're they've this those through to too under until up very was wasn't we we'd
  we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's with
  won't would wouldn't you you'd you'll you're you've your yours yourself yourselves
  many much also tell please s t does did done get got us one ones will can shall may might must`.split(/\s+/),
);

/** Chinese question words and particles, as the bigrams (or single characters) the tokenizer makes of them. */
export const CHINESE_STOP_TERMS: ReadonlySet<string> = new Set(
  `什么 多少 哪些 哪个 哪里 哪儿 哪位 如何 怎么 怎样 为何 为什 是否 是谁 谁是 有哪 有什 有多 请问 吗 呢 吧 啊 呀 的 了 是 么 哪 谁
  几个 多久 多大 多长 何时 何地 告诉 一下 这个 那个 这些 那些 什 为`.split(/\s+/),
);

/** Han characters that only glue words together; a Han run is cut at them before making bigrams. */
export const CHINESE_PARTICLES = /[的了吗呢吧啊呀是么]/u;

/**
 * Chinese question words made of several words: the noun in them (时候 in 什么时候 "when", 时间 in
 * 多长时间 "how long") asks rather than names what is looked for, like 何时. The stop terms above
 * are bigrams; these need the words around them, so they apply to questions only (a passage's 时候
 * is a word).
 */
export const CHINESE_QUESTION_PHRASES = /什么时候|什么地方|什么样|多长时间/gu;

/**
 * Characters that, standing alone between dictionary words, glue words rather than name things
 * (particles, pronouns, prepositions, position words): an example phrase (src/examples.ts) never
 * spans or ends in one. A wider list than the stop terms above: it bounds phrases, not queries.
 */
export const CHINESE_FUNCTION_CHARACTER = /^[的了是在和与及等对为将把被也都而并或之其这那个有于以它他她我你该此由从向到就还又很最更已曾所着过吗呢吧啊呀么只上下里内外但却则即乃若因如每各些]$/u;
/** Dictionary words that are function words too: they separate phrases like CHINESE_FUNCTION_CHARACTER. */
export const CHINESE_FUNCTION_WORDS: ReadonlySet<string> = new Set(
  `我们 他们 她们 它们 你们 这些 那些 这个 那个 这种 那种 这样 那样 一个 一些 以及 但是 因为 所以 可以 已经 没有 并且 而且
  如果 虽然 其中 之一 之后 之前 以后 以前 其他 其它 通过 由于 对于 关于 作为 成为 进行 包括 之间 以来 以上 以下 当时 同时
  目前 此外 因此 然而 不过 只是 就是 还是 或者 并非 不是 由此 此后 其后 随后 自己 可能 应该 能够 需要 开始 继续`.split(/\s+/),
);
