import { describe, expect, it } from 'vitest';
import { parseUpdate } from '../../../src/telegram/webhook.ts';

const parse = (text: string) => parseUpdate(Buffer.from(text, 'utf8'));

describe('parseUpdate', () => {
  it('accepts an update: a numeric update_id and one payload object', () => {
    const update = { update_id: 5, message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, text: 'hi' } };
    expect(parse(JSON.stringify(update))).toEqual({ update });
    expect(parse('{"update_id": 0}')).toEqual({ update: { update_id: 0 } });
  });

  it.each([
    ['{"update_id": 1, "message": {"text": "cut', /^not JSON/],
    ['', /^not JSON/],
    ['null', /not a JSON object/],
    ['[{"update_id": 1}]', /not a JSON object/],
    ['"update"', /not a JSON object/],
    ['{"message": {}}', /no update_id/],
    ['{"update_id": "1"}', /no update_id/],
    ['{"update_id": -1}', /no update_id/],
    ['{"update_id": 1.5}', /no update_id/],
    ['{"update_id": 1, "message": "hello"}', /field message is not an object/],
    ['{"update_id": 1, "message": null}', /field message is not an object/],
    ['{"update_id": 1, "message": [1]}', /field message is not an object/],
  ])('says why %j is not an update', (text, problem) => {
    const parsed = parse(text);
    expect('problem' in parsed && parsed.problem).toMatch(problem);
  });
});
