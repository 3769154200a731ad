/**
 * The text gate of map-rwmutex decides, before parsing, that a package cannot have a finding. It
 * must never say no where the analysis would report: checked on every fixture of the transform,
 * and on small packages for each way a goroutine can reach a write.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initParser } from '../src/parse.js';
import { planPackage } from '../src/plan.js';
import { mayNeedLock } from '../transforms/map-rwmutex/gate.js';
import { mapRwmutex } from '../transforms/map-rwmutex/index.js';

const test = suite('map-rwmutex gate');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

test.before(async () => {
  await initParser();
});

/** Every package of the fixtures: a single `*.input.go`, or a folder of them. */
function fixturePackages(): { name: string; sources: string[] }[] {
  const out: { name: string; sources: string[] }[] = [];
  const base = path.join(root, 'fixtures', 'map-rwmutex');
  for (const mod of readdirSync(base)) {
    const dir = path.join(base, mod);
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) {
        const files = readdirSync(full).filter((f) => f.endsWith('.input.go'));
        out.push({ name: `${mod}/${entry}`, sources: files.map((f) => readFileSync(path.join(full, f), 'utf8')) });
      } else if (entry.endsWith('.input.go')) {
        out.push({ name: `${mod}/${entry}`, sources: [readFileSync(full, 'utf8')] });
      }
    }
  }
  return out;
}

function findings(sources: string[]): number {
  const files = sources.map((source, i) => ({ path: `f${i}.go`, source, goVersion: { major: 1, minor: 22 } }));
  return planPackage(files, [mapRwmutex]).findings.length;
}

test('says yes for every fixture package with a finding', () => {
  let withFindings = 0;
  for (const pkg of fixturePackages()) {
    if (findings(pkg.sources) === 0) continue;
    withFindings++;
    assert.ok(mayNeedLock(pkg.sources), `${pkg.name}: the gate would hide its findings`);
  }
  assert.ok(withFindings >= 10, `only ${withFindings} fixture packages have findings`);
});

const header = 'package p\n\n';

const reached: Record<string, string> = {
  'a go statement with a literal': 'var m = map[string]int{}\n\nfunc F() {\n\tgo func() {\n\t\tm["a"]++\n\t}()\n}\n',
  'a function reached by name': 'var m = map[string]int{}\n\nfunc put(k string) {\n\tm[k] = 1\n}\n\nfunc F() {\n\tgo func() { put("a") }()\n\tput("b")\n}\n',
  'a method started with go': 'type s struct {\n\titems map[string]int\n}\n\nfunc (x *s) loop() {\n\tx.items["a"] = 1\n}\n\nfunc F(x *s) {\n\tgo x.loop()\n}\n',
  'a literal bound to a local': 'var m = map[string]int{}\n\nfunc F() {\n\tf := func() {\n\t\tdelete(m, "a")\n\t}\n\tgo f()\n}\n',
  'a spawner argument': 'var m = map[string]int{}\n\nfunc F(g interface{ Go(func() error) }) {\n\tg.Go(func() error {\n\t\tm["a"] = 2\n\t\treturn nil\n\t})\n}\n',
  'a ServeHTTP method': 'type h struct{}\n\nvar hits = make(map[string]int)\n\nfunc (h) ServeHTTP(w any, r any) {\n\thits["x"] += 1\n}\n',
  'a named map type': 'type cache map[string]int\n\nvar c cache\n\nfunc F() {\n\tgo func() {\n\t\tc = cache{}\n\t}()\n}\n',
  'a labelled go statement': 'var m = map[string]int{}\n\nfunc F() {\nL:\n\tgo func() { m["a"] = 1 }()\n\tgoto L\n}\n',
};

for (const [name, body] of Object.entries(reached)) {
  test(`says yes: ${name}`, () => {
    assert.ok(mayNeedLock([header + body]));
  });
}

const notReached: Record<string, string> = {
  'no goroutine': 'var m = map[string]int{}\n\nfunc F() {\n\tm["a"] = 1\n}\n',
  'a goroutine that only reads': 'var m = map[string]int{}\n\nfunc F() {\n\tm["a"] = 1\n\tgo func() { println(m["a"]) }()\n}\n',
  'the word go in a comment and a string': 'var m = map[string]int{}\n\n// go put things\nfunc put() {\n\tm["a"] = 1\n}\n\nconst usage = `\ngo put\n`\n',
  'a write only in a comment': 'var m = map[string]int{}\n\nfunc F() {\n\tgo func() {\n\t\t// m["a"] = 1\n\t}()\n}\n',
  'a local map': 'func F() {\n\tgo func() {\n\t\tm := map[string]int{}\n\t\tm["a"] = 1\n\t}()\n}\n',
};

for (const [name, body] of Object.entries(notReached)) {
  test(`says no: ${name}`, () => {
    assert.not.ok(mayNeedLock([header + body]));
    assert.is(findings([header + body]), 0);
  });
}

test.run();
