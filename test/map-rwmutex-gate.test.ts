/**
 * The gate of map-rwmutex decides, before parsing, that a package cannot have a finding. It must
 * never say no where the analysis would report: checked on every fixture of the transform, and on
 * small packages for each way a goroutine can start. (test/gates.test.ts compares it with the
 * ungated transform over the fixtures and Go's source.)
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
  'a handler registered on a mux': 'var hits = map[string]int{}\n\nfunc F(mux interface{ HandleFunc(string, func(any, any)) }) {\n\tmux.HandleFunc("/", func(w, r any) {\n\t\thits["x"]++\n\t})\n}\n',
  'a local declared after the write': 'var m = map[string]int{}\n\nfunc put() {\n\tm["a"] = 1\n\tm := 2\n\t_ = m\n}\n\nfunc F() {\n\tgo put()\n}\n',
  'a write after a comment ending in a dot': 'type s struct {\n\tm map[string]int\n}\n\nfunc (x *s) loop() {\n\t// Store it.\n\tx.m["a"] = 1\n}\n\nfunc F(x *s) {\n\tgo x.loop()\n}\n',
};

for (const [name, body] of Object.entries(reached)) {
  test(`says yes: ${name}`, () => {
    assert.ok(mayNeedLock([header + body]));
  });
}

/** Packages with a finding near the edges of the analysis's rules: the gate lets each through. */
const reportedNearTheEdges: Record<string, string> = {
  'a write after the lock is released':
    'type s struct {\n\tmu sync.Mutex\n\tn  int\n\tm  map[string]int\n}\n\nfunc (x *s) put() {\n\tx.mu.Lock()\n\tx.n++\n\tx.mu.Unlock()\n\tx.m["a"] = 1\n}\n\nfunc F(x *s) int {\n\tgo x.put()\n\treturn len(x.m)\n}\n',
  'a write in the next case of a switch that locks':
    'type s struct {\n\tmu sync.Mutex\n\tn  int\n\tm  map[string]int\n}\n\nfunc (x *s) put(k int) {\n\tswitch k {\n\tcase 1:\n\t\tx.mu.Lock()\n\t\tx.n++\n\tcase 2:\n\t\tx.m["a"] = 1\n\t}\n}\n\nfunc F(x *s) int {\n\tgo x.put(2)\n\treturn len(x.m)\n}\n',
  'a write after the block that locks':
    'type s struct {\n\tmu sync.Mutex\n\tn  int\n\tm  map[string]int\n}\n\nfunc (x *s) put(k int) {\n\tif k > 0 {\n\t\tx.mu.Lock()\n\t\tx.n++\n\t}\n\tx.m["a"] = 1\n}\n\nfunc F(x *s) int {\n\tgo x.put(2)\n\treturn len(x.m)\n}\n',
  'a goroutine started in init':
    'var m = map[string]int{}\n\nfunc init() {\n\tgo func() {\n\t\tm["a"] = 1\n\t}()\n}\n\nfunc Len() int { return len(m) }\n',
  'a function passed to Do under the name of a local':
    'var m = map[string]int{}\n\nfunc fill() {\n\tm["a"] = 1\n}\n\nfunc F(o interface{ Do(func()) }) {\n\tfill := func() {}\n\to.Do(fill)\n\tgo fill()\n}\n\nfunc Get() int { return len(m) }\n\nfunc G() {\n\tgo fillAll()\n}\n\nfunc fillAll() { fill() }\n',
  'go on a value built with &T{}, when two types have the method':
    'type a struct {\n\tm map[string]int\n}\n\ntype b struct{ n int }\n\nfunc (x *a) run() {\n\tx.m["k"] = 1\n}\n\nfunc (y *b) run() { y.n++ }\n\nfunc F() int {\n\tx := &a{m: map[string]int{}}\n\tgo x.run()\n\treturn len(x.m)\n}\n',
  'go on a var of the type, when two types have the method':
    'type a struct {\n\tm map[string]int\n}\n\ntype b struct{ n int }\n\nfunc (x *a) run() {\n\tx.m["k"] = 1\n}\n\nfunc (y *b) run() { y.n++ }\n\nfunc F() int {\n\tvar x a\n\tgo x.run()\n\treturn len(x.m)\n}\n',
  'go on the receiver, when two types have the method':
    'type a struct {\n\tm map[string]int\n}\n\ntype b struct{ n int }\n\nfunc (x *a) run() {\n\tx.m["k"] = 1\n}\n\nfunc (y *b) run() { y.n++ }\n\nfunc (x *a) Start() int {\n\tgo x.run()\n\treturn len(x.m)\n}\n\n// New hands an *a out of the package: its exported methods may run anywhere.\nfunc New() *a { return &a{m: map[string]int{}} }\n',
  'go on a value from a constructor, when two types have the method':
    'type a struct {\n\tm map[string]int\n}\n\ntype b struct{ n int }\n\nfunc newA() *a { return &a{m: map[string]int{}} }\n\nfunc (x *a) run() {\n\tx.m["k"] = 1\n}\n\nfunc (y *b) run() { y.n++ }\n\nfunc F() int {\n\tx := newA()\n\tgo x.run()\n\tgo x.run()\n\treturn len(x.m)\n}\n',
  'a method value on a parameter passed to a spawner, when two types have the method':
    'type a struct {\n\tm map[string]int\n}\n\ntype b struct{ n int }\n\nfunc (x *a) run() error {\n\tx.m["k"] = 1\n\treturn nil\n}\n\nfunc (y *b) run() error { y.n++; return nil }\n\nfunc F(g interface{ Go(func() error) }, x *a) int {\n\tg.Go(x.run)\n\treturn len(x.m)\n}\n',
  'an entry calling a method on its parameter':
    'type a struct {\n\tm map[string]int\n}\n\nfunc (x *a) put() {\n\tx.m["k"] = 1\n}\n\nfunc work(x *a) {\n\tx.put()\n}\n\nfunc F(x *a) int {\n\tgo work(x)\n\treturn len(x.m)\n}\n',
  'a method called on the parenthesised receiver':
    'type a struct {\n\tm map[string]int\n}\n\nfunc (x *a) put() {\n\tx.m["k"] = 1\n}\n\nfunc (x *a) run() {\n\t(x).put()\n}\n\nfunc F(x *a) int {\n\tgo x.run()\n\treturn len(x.m)\n}\n',
  'a parenthesised literal started with go':
    'var m = map[string]int{}\n\nfunc F() int {\n\tgo (func() {\n\t\tm["a"] = 1\n\t})()\n\treturn len(m)\n}\n',
  'a local literal passed to time.AfterFunc':
    'import "time"\n\nvar m = map[string]int{}\n\nfunc F() int {\n\tf := func() {\n\t\tm["a"] = 1\n\t}\n\ttime.AfterFunc(1, f)\n\treturn len(m)\n}\n',
  'a local of the map\'s name used under a lock':
    'import "sync"\n\nvar mu sync.Mutex\n\nvar m = map[string]int{}\n\nfunc put() {\n\tm["a"] = 1\n}\n\nfunc other() int {\n\tmu.Lock()\n\tm := 3\n\tmu.Unlock()\n\treturn m\n}\n\nfunc F() int {\n\tgo put()\n\treturn len(m) + other()\n}\n',
  'the map\'s name as a key of a literal under a lock':
    'import "sync"\n\ntype T struct{ m int }\n\nvar mu sync.Mutex\n\nvar m = map[string]int{}\n\nfunc put() {\n\tm["a"] = 1\n}\n\nfunc other() T {\n\tmu.Lock()\n\tt := T{m: 1}\n\tmu.Unlock()\n\treturn t\n}\n\nfunc F() int {\n\tgo put()\n\treturn len(m) + other().m\n}\n',
  'a method called on a parameter of another type':
    'type a struct {\n\tm map[string]int\n}\n\ntype b struct{ n int }\n\nfunc (x *a) put() {\n\tx.m["k"] = 1\n}\n\nfunc (y *b) put() { y.n++ }\n\nfunc (y *b) run(o *a) {\n\to.put()\n}\n\nfunc F(y *b, z *a) int {\n\tgo y.run(z)\n\treturn len(z.m)\n}\n',
};

for (const [name, body] of Object.entries(reportedNearTheEdges)) {
  test(`says yes: ${name}`, () => {
    assert.ok(findings([header + body]) > 0, 'the analysis reports it');
    assert.ok(mayNeedLock([header + body]));
  });
}

/** Each kind of entry, with its words taken from the tables (spawns.ts, the facts table). */
const entries: Record<string, string> = {
  'a worker pool': 'var m = map[string]int{}\n\nfunc F(p interface{ Submit(func()) }) {\n\tp.Submit(func() {\n\t\tm["a"] = 1\n\t})\n}\n',
  'a finalizer': 'import "runtime"\n\nvar m = map[string]int{}\n\nfunc F(x *int) {\n\truntime.SetFinalizer(x, func(*int) { m["a"] = 1 })\n}\n',
  'a handler registered with Handle': 'import "net/http"\n\nvar m = map[string]int{}\n\nfunc F(h http.Handler) {\n\thttp.Handle("/", h)\n}\n',
  'a gRPC registration': 'type srv struct{ m map[string]int }\n\nfunc (s *srv) Put() { s.m["a"] = 1 }\n\nfunc F(g any) {\n\tRegisterStoreServer(g, &srv{})\n}\n',
  'a go statement after a case': 'var m = map[string]int{}\n\nfunc F(k int) {\n\tswitch k {\n\tcase 1: go func() { m["a"] = 1 }()\n\t}\n}\n',
  'a lock call and no goroutine': 'import "sync"\n\nvar mu sync.Mutex\n\nvar m = map[string]int{}\n\nfunc Put() {\n\tmu.Lock()\n\tm["a"] = 1\n\tmu.Unlock()\n}\n\nfunc Drop() {\n\tdelete(m, "a")\n}\n',
};

for (const [name, body] of Object.entries(entries)) {
  test(`says yes: ${name}`, () => {
    assert.ok(mayNeedLock([header + body]));
  });
}

const refused: Record<string, string> = {
  'no map type': 'var m []int\n\nfunc F() {\n\tgo func() {\n\t\tm[0] = 1\n\t}()\n}\n',
  'no goroutine and no lock': 'var m = map[string]int{}\n\nfunc F() {\n\tm["a"] = 1\n}\n',
  'the word go inside a comment line': 'var m = map[string]int{}\n\n// go put things\nfunc put() {\n\tm["a"] = 1\n}\n',
  'an unlock without a lock': 'import "sync"\n\nvar mu sync.Mutex\n\nvar m = map[string]int{}\n\nfunc F() {\n\tm["a"] = 1\n\tmu.Unlock()\n}\n',
};

for (const [name, body] of Object.entries(refused)) {
  test(`says no: ${name}`, () => {
    assert.not.ok(mayNeedLock([header + body]));
    assert.is(findings([header + body]), 0);
  });
}

test('reads the package as one: a map in one file, a goroutine in another', () => {
  const decl = header + 'var m = map[string]int{}\n\nfunc put() {\n\tm["a"] = 1\n}\n';
  const spawn = header + 'func F() {\n\tgo put()\n}\n';
  assert.ok(mayNeedLock([decl, spawn]));
  assert.not.ok(mayNeedLock([decl]));
  assert.not.ok(mayNeedLock([spawn]));
});

test.run();
