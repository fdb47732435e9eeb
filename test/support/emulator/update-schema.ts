/**
 * Regenerates `bot-api.schema.json` from PaulSonOfLars' `api.json`:
 * `npx tsx test/support/emulator/update-schema.ts [path/to/api.json]` (default: ../shared/telegram/api.json).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { compactSchema } from './schema.ts';

const source = resolve(process.argv[2] ?? '../shared/telegram/api.json');
const licensePath = join(dirname(source), 'api.json.LICENSE');
const raw = JSON.parse(readFileSync(source, 'utf8')) as Parameters<typeof compactSchema>[0];
const compact = compactSchema(raw, readFileSync(licensePath, 'utf8'));
const target = new URL('./bot-api.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(compact)}\n`);
console.log(`wrote ${target.pathname}: ${compact.version}, ${Object.keys(compact.methods).length} methods, ${Object.keys(compact.types).length} types`);
