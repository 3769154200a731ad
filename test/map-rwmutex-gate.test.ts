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
  'a handler registered on a mux': 'var hits = map[string]int{}\n\nfunc F(mux interface{ HandleFunc(string, func(any, any)) }) {\n\tmux.HandleFunc("/", func(w, r any) {\n\t\thits["x"]++\n\t})\n}\n',
  'a local declared after the write': 'var m = map[string]int{}\n\nfunc put() {\n\tm["a"] = 1\n\tm := 2\n\t_ = m\n}\n\nfunc F() {\n\tgo put()\n}\n',
  'a write after a comment ending in a dot': 'type s struct {\n\tm map[string]int\n}\n\nfunc (x *s) loop() {\n\t// Store it.\n\tx.m["a"] = 1\n}\n\nfunc F(x *s) {\n\tgo x.loop()\n}\n',
};

for (const [name, body] of Object.entries(reached)) {
  test(`says yes: ${name}`, () => {
    assert.ok(mayNeedLock([header + body]));
  });
}

/**
 * Where the gate's lock regions, initialisation and receiver types stop short of the analysis's
 * own: each package has a finding, so the gate must let it through.
 */
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
    'type a struct {\n\tm map[string]int\n}\n\ntype b struct{ n int }\n\nfunc (x *a) run() {\n\tx.m["k"] = 1\n}\n\nfunc (y *b) run() { y.n++ }\n\nfunc (x *a) Start() int {\n\tgo x.run()\n\treturn len(x.m)\n}\n',
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

const notReached: Record<string, string> = {
  'no goroutine': 'var m = map[string]int{}\n\nfunc F() {\n\tm["a"] = 1\n}\n',
  'a goroutine that only reads': 'var m = map[string]int{}\n\nfunc F() {\n\tm["a"] = 1\n\tgo func() { println(m["a"]) }()\n}\n',
  'the word go in a comment and a string': 'var m = map[string]int{}\n\n// go put things\nfunc put() {\n\tm["a"] = 1\n}\n\nconst usage = `\ngo put\n`\n',
  'a write only in a comment': 'var m = map[string]int{}\n\nfunc F() {\n\tgo func() {\n\t\t// m["a"] = 1\n\t}()\n}\n',
  'a local map': 'func F() {\n\tgo func() {\n\t\tm := map[string]int{}\n\t\tm["a"] = 1\n\t}()\n}\n',
  'a parameter hiding the package map': 'var m = map[string]int{}\n\nfunc put(m []int) {\n\tm[0] = 1\n}\n\nfunc F() {\n\tgo put(nil)\n\t_ = m\n}\n',
  'a local at the top of the body hiding it': 'var m = map[string]int{}\n\nfunc put() {\n\tm, ok := map[string]int{}, true\n\tm["a"] = 1\n\t_ = ok\n}\n\nfunc F() {\n\tgo put()\n\t_ = m\n}\n',
  'a field of an anonymous struct in a var': 'var st struct {\n\tm map[string]int\n}\n\nfunc F() {\n\tgo func() {\n\t\tvar m []int\n\t\tm = nil\n\t\t_ = m\n\t}()\n\t_ = st\n}\n',
  'a method call to a name the package uses for a function': 'var m = map[string]int{}\n\nfunc put() {\n\tm["a"] = 1\n}\n\nfunc F(x interface{ put() }) {\n\tgo func() { x.put() }()\n\tput()\n}\n',
  'a field written in a method named for its lock':
    'type s struct {\n\tm map[string]int\n}\n\nfunc (x *s) putLocked() {\n\tx.m["a"] = 1\n}\n\nfunc F(x *s) {\n\tgo x.putLocked()\n\tgo x.putLocked()\n}\n',
  'a map filled through sync.Once':
    'var m map[string]int\n\nvar once sync.Once\n\nfunc fill() {\n\tm = map[string]int{"a": 1}\n}\n\nfunc Get(k string) int {\n\tonce.Do(fill)\n\treturn m[k]\n}\n\nfunc F() {\n\tgo func() { _ = Get("a") }()\n}\n',
  'a map filled in init': 'var m = map[string]int{}\n\nfunc init() {\n\tm["a"] = 1\n}\n\nfunc F() {\n\tgo func() {\n\t\tinit := 1\n\t\t_ = init\n\t}()\n}\n',
  'a method of another type by the same name':
    'type a struct {\n\tm map[string]int\n}\n\ntype b struct{ n int }\n\nfunc (x *a) reset() {\n\tx.m = map[string]int{}\n}\n\nfunc (y *b) reset() { y.n = 0 }\n\nfunc (y *b) loop() {\n\ty.reset()\n}\n\nfunc F(y *b) {\n\tgo y.loop()\n\tgo y.loop()\n}\n',
  'a field written on a value a plain function builds':
    'type s struct {\n\tm map[string]int\n}\n\ntype t struct{}\n\nfunc helper() {\n\tv := &s{}\n\tv.m["a"] = 1\n}\n\nfunc (x *t) loop() {\n\thelper()\n}\n\nfunc F(x *t) {\n\tgo x.loop()\n\tgo x.loop()\n}\n',
  'a goroutine on a value from a method call, when two types have the method':
    'type a struct {\n\tm map[string]int\n}\n\ntype b struct{ n int }\n\ntype f struct{}\n\nfunc (f) make() *a { return &a{m: map[string]int{}} }\n\nfunc (x *a) run() {\n\tx.m["k"] = 1\n}\n\nfunc (y *b) run() { y.n++ }\n\nfunc F(k f) int {\n\tx := k.make()\n\tgo x.run()\n\tgo x.run()\n\treturn len(x.m)\n}\n',
  'a goroutine on a copy of a package variable, when two types have the method':
    'type a struct {\n\tm map[string]int\n}\n\ntype b struct{ n int }\n\nfunc (x *a) run() {\n\tx.m["k"] = 1\n}\n\nfunc (y *b) run() { y.n++ }\n\nvar shared = &a{m: map[string]int{}}\n\nfunc F() int {\n\tx := shared\n\tgo x.run()\n\treturn len(x.m)\n}\n',
  'a method reached from a goroutine calling on its parameter':
    'type a struct {\n\tm map[string]int\n}\n\ntype s struct{}\n\nfunc (x *a) put() {\n\tx.m["k"] = 1\n}\n\nfunc (y *s) step(x *a) {\n\tx.put()\n}\n\nfunc (y *s) loop(x *a) {\n\ty.step(x)\n}\n\nfunc F(y *s, x *a) int {\n\tgo y.loop(x)\n\tgo y.loop(x)\n\treturn len(x.m)\n}\n',
  'a method called on a call\'s result':
    'type a struct {\n\tm map[string]int\n}\n\ntype s struct{ v *a }\n\nfunc (x *a) put() {\n\tx.m["k"] = 1\n}\n\nfunc (y *s) get() *a { return y.v }\n\nfunc (y *s) loop() {\n\ty.get().put()\n}\n\nfunc F(y *s) int {\n\tgo y.loop()\n\tgo y.loop()\n\treturn len(y.v.m)\n}\n',
  'a method value handed to a function that a goroutine runs':
    'type a struct {\n\tm map[string]int\n}\n\ntype b struct{ n int }\n\nfunc (x *a) put() {\n\tx.m["k"] = 1\n}\n\nfunc (y *b) put() { y.n++ }\n\nfunc run(f func()) { f() }\n\nfunc F(y *b) {\n\tgo run(y.put)\n\tgo run(y.put)\n}\n',
  'writes to the blank identifier': 'var _ = map[string]int{}\n\nfunc F() {\n\tgo func() {\n\t\t_, _ = 1, 2\n\t}()\n}\n',
  'the map named only in a string and a comment of a goroutine': 'var m = map[string]int{}\n\nfunc F() {\n\tgo func() {\n\t\tprintln("m[1] = 2") /* m = nil */\n\t}()\n\tm["a"] = 1\n}\n',
};

for (const [name, body] of Object.entries(notReached)) {
  test(`says no: ${name}`, () => {
    assert.not.ok(mayNeedLock([header + body]));
    assert.is(findings([header + body]), 0);
  });
}

/**
 * Packages where a file that takes a lock names a candidate: the gate lets them through (a map may
 * be partly locked, a finding without any goroutine), and the analysis decides. The count is the
 * analysis's findings.
 */
const locked: Record<string, [string, number]> = {
  'a field written under its struct\'s lock': [
    'type s struct {\n\tmu sync.Mutex\n\tm  map[string]int\n}\n\nfunc (x *s) put() {\n\tx.mu.Lock()\n\tdefer x.mu.Unlock()\n\tx.m["a"] = 1\n}\n\nfunc F(x *s) {\n\tgo x.put()\n\tgo x.put()\n}\n', 0],
  'a field written without the lock it is read under': [
    'type s struct {\n\tmu sync.Mutex\n\tm  map[string]int\n}\n\nfunc (x *s) put() {\n\tx.m["a"] = 1\n}\n\nfunc (x *s) get() int {\n\tx.mu.RLock()\n\tn := len(x.m)\n\tx.mu.RUnlock()\n\treturn n\n}\n\nfunc F(x *s) {\n\tgo x.put()\n\tgo x.put()\n}\n', 1],
  'a map variable written under a lock, its length read without it': [
    'import "sync"\n\nvar mu sync.Mutex\n\nvar m = map[string]int{}\n\nfunc put() {\n\tmu.Lock()\n\tm["a"] = 1\n\tmu.Unlock()\n}\n\nfunc F() int {\n\tgo put()\n\tgo put()\n\treturn len(m)\n}\n', 1],
  'a map variable partly locked, no goroutine anywhere': [
    'import "sync"\n\nvar mu sync.Mutex\n\nvar m = map[string]int{}\n\nfunc Put() {\n\tmu.Lock()\n\tm["a"] = 1\n\tmu.Unlock()\n}\n\nfunc Drop() {\n\tdelete(m, "a")\n}\n',
    1,
  ],
  'a field filled in its constructor, locked everywhere else': [
    'import "sync"\n\ntype s struct {\n\tmu sync.Mutex\n\tm  map[string]int\n}\n\nfunc newS() *s {\n\tx := &s{m: map[string]int{}}\n\tx.m["a"] = 1\n\treturn x\n}\n\nfunc (x *s) Put() {\n\tx.mu.Lock()\n\tx.m["b"] = 2\n\tx.mu.Unlock()\n}\n',
    0,
  ],
};

for (const [name, [body, n]] of Object.entries(locked)) {
  test(`lets a locked package through: ${name}`, () => {
    assert.ok(mayNeedLock([header + body]));
    assert.is(findings([header + body]), n);
  });
}

test('says no: arithmetic on a name is not a write of a map', () => {
  assert.not.ok(mayNeedLock([header + 'var m = map[string]int{}\n\nfunc F() {\n\tgo func() {\n\t\tvar x struct{ m int }\n\t\tx.m += 1\n\t\tx.m++\n\t}()\n}\n']));
});

test('builds: a map of x_js.go and a goroutine of y_plan9.go never meet', () => {
  const decl = header + 'var m = map[string]int{}\n\nfunc put() {\n\tm["a"] = 1\n}\n';
  const spawn = header + 'func F() {\n\tgo put()\n}\n';
  assert.ok(mayNeedLock([decl, spawn]), 'read as one build');
  assert.not.ok(mayNeedLock([decl, spawn], ['p/x_js.go', 'p/y_plan9.go']));
  assert.ok(mayNeedLock([decl, spawn], ['p/x_linux.go', 'p/y.go']));
  assert.ok(mayNeedLock([decl, '//go:build cgo\n\n' + spawn], ['p/x_js.go', 'p/y.go']));
  assert.not.ok(mayNeedLock([decl, '//go:build windows\n\n' + spawn], ['p/x_js.go', 'p/y.go']));
});

test.run();
