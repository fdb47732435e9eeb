import { detectLang, type Passage } from '../../src/corpus/types.ts';

/** A passage for unit tests: no source fields, its language detected from the text; `extra` overrides any field. */
export function passageOf(id: string, text: string, extra: Partial<Passage> = {}): Passage {
  return {
    id,
    docId: 'doc',
    text,
    title: null,
    publisher: null,
    date: null,
    section: null,
    refs: [],
    url: null,
    topic: null,
    lang: detectLang(text),
    file: 'fixture.txt',
    ...extra,
  };
}
