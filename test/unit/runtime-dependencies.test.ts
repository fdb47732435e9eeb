/**
 * `npm ci --omit=dev && npm start` must work: every package the running bot (and `ask`) loads —
 * found by walking the imports from their entry files, the worker thread included — is in
 * `dependencies`, and so is the loader the npm scripts start them with. Modules the entries never
 * reach (src/cli/build-dictionary.ts, src/cli/eval.ts: tools run from a development checkout)
 * may use devDependencies.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};
/** What `npm start` and `npm run ask` run. */
const RUNTIME_SCRIPTS = ['start', 'ask'];

/** Module specifiers a source file loads at run time (type-only imports are erased, so left out). */
function runtimeSpecifiers(source: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\s+(?!type\b)[^'";]*?\bfrom\s+['"]([^'"]+)['"]/gm, // import x from 'm', export { x } from 'm'
    /^\s*import\s+['"]([^'"]+)['"]/gm, // import 'm'
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, // import('m')
    /(?:\brequire|\))\(\s*['"]([^'"]+)['"]\s*\)/g, // require('m'), createRequire(import.meta.url)('m')
    /new URL\(\s*['"](\.{1,2}\/[^'"]+\.(?:ts|mjs|js))['"]\s*,\s*import\.meta\.url/g, // new Worker(new URL('./w.mjs', import.meta.url))
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1]!));
}

/** The npm package a bare specifier names: 'grammy/types' → 'grammy', '@a/b/c' → '@a/b'. */
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier);

/** Every package reachable from the entry files, with the file that imports it. */
function packagesReachableFrom(entries: string[]): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const queue = entries.map((entry) => join(ROOT, entry));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of runtimeSpecifiers(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier));
      else if (!isBuiltin(specifier)) packages.set(packageOf(specifier), relative(ROOT, file));
    }
  }
  return packages;
}

describe('runtime dependencies', () => {
  it('finds what a module loads, and not its type-only imports', () => {
    const source = [
      "import { Bot } from 'grammy';",
      "import type { Update } from 'grammy/types';",
      "import {\n  a,\n  b,\n} from './local.ts';",
      "export { c } from '@scope/pkg/sub';",
      "import 'side-effect';",
      "await import('./later.ts');",
      "const verbs = createRequire(import.meta.url)('verbs/dist/verbs.json');",
      "new Worker(new URL('./worker.mjs', import.meta.url));",
      "const data = new URL('./table.tsv', import.meta.url);",
    ].join('\n');
    expect(runtimeSpecifiers(source).sort()).toEqual(
      ['grammy', './local.ts', '@scope/pkg/sub', 'side-effect', './later.ts', 'verbs/dist/verbs.json', './worker.mjs'].sort(),
    );
    expect(packageOf('@scope/pkg/sub')).toBe('@scope/pkg');
  });

  it('the bot, its worker thread and ask import only packages in "dependencies"', () => {
    const entries = RUNTIME_SCRIPTS.map((name) => {
      const entry = pkg.scripts[name]!.split(/\s+/).find((word) => /^src\/.*\.(ts|mjs|js)$/.test(word));
      expect(entry, `npm run ${name} starts a file under src/`).toBeDefined();
      return entry!;
    });
    const reachable = packagesReachableFrom(entries);
    expect(reachable.has('grammy')).toBe(true); // the walk did reach the bot
    const missing = [...reachable].filter(([name]) => !(name in pkg.dependencies)).map(([name, file]) => `${name} (imported by ${file})`);
    expect(missing).toEqual([]);
  });

  it('the loader npm start and npm run ask use is in "dependencies"', () => {
    for (const name of RUNTIME_SCRIPTS) {
      for (const [, loader] of pkg.scripts[name]!.matchAll(/--(?:import|require|loader)[= ](\S+)/g)) {
        expect(Object.keys(pkg.dependencies), `npm run ${name}: ${loader}`).toContain(packageOf(loader!));
      }
    }
  });
});
