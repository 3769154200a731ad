/**
 * The content-hash cache (`--cache`): a re-run over unchanged files gives the same result without
 * running a transform, and any change a result depends on (a file's bytes, a new file, the
 * transform's code) is a miss for the directories it touches. A broken entry is a miss.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runDriver } from '../src/driver.js';
import type { RunResult } from '../src/driver.js';
import { loadTransforms } from '../src/load.js';
import { transforms as builtins } from '../transforms/index.js';

const test = suite('cache');

/** A user transform that counts the files it runs on in a global, and flags `TODO` comments. */
const counter = (tag: string): string => `
export default {
  name: 'todo-${tag}',
  description: 'reports TODO comments',
  run(file) {
    globalThis.__gomendCacheRuns = (globalThis.__gomendCacheRuns ?? 0) + 1;
    const i = file.source.indexOf('TODO');
    return i < 0 ? [] : [{ start: i, end: i + 4, message: 'a TODO (${tag})' }];
  },
};
`;

let work = '';
let cacheDir = '';
let transformPath = '';

function runs(): number {
  return (globalThis as { __gomendCacheRuns?: number }).__gomendCacheRuns ?? 0;
}

async function gomend(): Promise<{ result: RunResult; ran: number }> {
  (globalThis as { __gomendCacheRuns?: number }).__gomendCacheRuns = 0;
  // A fresh module URL each time, so an edited transform file is loaded anew.
  const copy = path.join(work, `t${Date.now()}${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(copy, readFileSync(transformPath));
  const transforms = await loadTransforms([copy], builtins, work);
  const result = await runDriver({ paths: [path.join(work, 'mod')], cwd: work, transforms, transformSpecs: [transformPath], jobs: 1, cache: { dir: cacheDir } });
  rmSync(copy);
  return { result, ran: runs() };
}

/** The parts of a result a user sees, without timings. */
function visible(r: RunResult): string {
  return JSON.stringify(r.files.map((f) => [f.path, f.status, f.reason ?? '', f.findings.map((x) => `${x.line}:${x.column} ${x.message}`)]));
}

test.before.each(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'gomend-cache-'));
  cacheDir = path.join(work, 'cache');
  transformPath = path.join(work, 'todo.mjs');
  writeFileSync(transformPath, counter('one'));
  mkdirSync(path.join(work, 'mod', 'a'), { recursive: true });
  mkdirSync(path.join(work, 'mod', 'b'), { recursive: true });
  writeFileSync(path.join(work, 'mod', 'go.mod'), 'module example.com/m\n\ngo 1.22\n');
  writeFileSync(path.join(work, 'mod', 'a', 'a.go'), 'package a\n\n// TODO: one\nfunc A() {}\n');
  writeFileSync(path.join(work, 'mod', 'b', 'b.go'), 'package b\n\nfunc B() {}\n');
});

test.after.each(() => {
  rmSync(work, { recursive: true, force: true });
});

test('an unchanged tree is answered from the cache, with the same result', async () => {
  const first = await gomend();
  assert.is(first.ran, 2);
  assert.is(first.result.summary.findings, 1);
  const second = await gomend();
  assert.is(second.ran, 0, 'no transform runs on a warm cache');
  assert.is(visible(second.result), visible(first.result));
});

test('a changed file is a miss for its directory only', async () => {
  await gomend();
  writeFileSync(path.join(work, 'mod', 'b', 'b.go'), 'package b\n\n// TODO: two\nfunc B() {}\n');
  const after = await gomend();
  assert.is(after.ran, 1);
  assert.is(after.result.summary.findings, 2);
});

test('a new file is a miss for its directory', async () => {
  await gomend();
  writeFileSync(path.join(work, 'mod', 'a', 'c.go'), 'package a\n\n// TODO: three\nfunc C() {}\n');
  const after = await gomend();
  assert.is(after.ran, 2);
  assert.is(after.result.summary.findings, 2);
});

test('a changed transform is a miss everywhere', async () => {
  await gomend();
  writeFileSync(transformPath, counter('two'));
  const after = await gomend();
  assert.is(after.ran, 2);
  assert.match(after.result.files.flatMap((f) => f.findings.map((x) => x.message)).join(), /\(two\)/);
});

test('a broken entry is a miss, not an error', async () => {
  const first = await gomend();
  const entries: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const full = path.join(d, e);
      if (statSync(full).isDirectory()) walk(full);
      else entries.push(full);
    }
  };
  walk(cacheDir);
  assert.is(entries.length, 2, 'one entry per directory');
  for (const e of entries) writeFileSync(e, '{"key": "x", "outcome": ');
  const after = await gomend();
  assert.is(after.ran, 2);
  assert.is(visible(after.result), visible(first.result));
});

test('changed files come back from the cache with their new text', async () => {
  const go = path.join(work, 'mod', 'a', 's.go');
  const specs = ['goroutine-subslice'];
  const transforms = await loadTransforms(specs, builtins, work);
  writeFileSync(go, 'package a\n\nimport "fmt"\n\nvar buf = make([]byte, 8)\n\nfunc use(b []byte) { fmt.Println(b) }\n\nfunc S() {\n\tgo use(buf[:4])\n\tbuf[0] = 1\n}\n');
  const opts = { paths: [path.join(work, 'mod')], cwd: work, transforms, transformSpecs: specs, jobs: 1, cache: { dir: cacheDir } };
  const cold = await runDriver(opts);
  const warm = await runDriver(opts);
  const pick = (r: RunResult) => r.files.find((f) => f.absPath === go)!;
  assert.is(pick(cold).status, 'changed');
  assert.is(pick(warm).status, 'changed');
  assert.is(pick(warm).after, pick(cold).after);
  assert.equal(pick(warm).original, pick(cold).original);
});

test.run();
