/**
 * Unit tests for any-map-split: key identity, scoping, cross-file fixes, layout by gofmt
 * and robustness on broken code. The fixture runner covers whole rewrites and refusals.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initParser, withTree } from '../src/parse.js';
import { planPackage } from '../src/plan.js';
import { findGofmt, layoutOutputs } from '../src/gofmt.js';
import { newModel } from '../src/go/index.js';
import type { Model } from '../src/go/index.js';
import type { PackageFinding, Pass } from '../src/types.js';
import { anyMapSplit } from '../transforms/any-map-split/index.js';
import { countingPackage as counting } from './counting-package.js';

const test = suite('any-map-split');

test.before(async () => {
  await initParser();
});

const go122 = { major: 1, minor: 22 };

function plan(files: Record<string, string>) {
  return planPackage(
    Object.entries(files).map(([path, source]) => ({ path, source, goVersion: go122 })),
    [anyMapSplit],
  );
}

/** The planned outputs laid out by gofmt, as the driver writes them. */
async function outputs(files: Record<string, string>): Promise<Map<string, string>> {
  const out = plan(files).outputs;
  const gofmt = await findGofmt();
  if (gofmt) assert.equal([...(await layoutOutputs(gofmt, out, (p) => files[p], () => true))], []);
  return out;
}

function messages(files: Record<string, string>): string[] {
  return plan(files).findings.map((f) => f.message);
}

test('keys compare by value: "a" and "\\x61" are the same key', () => {
  const src = `package p

var m = map[string]any{}

func f() {
	m["a"] = 1
	m["\\x61"] = "s"
}
`;
  assert.match(messages({ 'a.go': src })[0], /key "a" is written as int .* and as string/);
  const ok = `package p

var m = map[string]any{}

func f() int {
	m["\\x61"] = 1
	m["b"] = "s"
	return m["a"].(int)
}
`;
  assert.ok(plan({ 'a.go': ok }).findings[0].fixable);
});

test('a local that shadows the map is left alone', () => {
  const src = `package p

var m = map[string]any{}

func f(x int) int {
	m["n"] = x
	m["s"] = "s"
	if m := map[string]int{"n": 2}; len(m) > 0 {
		return m["n"]
	}
	return m["n"].(int)
}
`;
  const out = plan({ 'a.go': src }).outputs.get('a.go')!;
  assert.match(out, /if m := map\[string\]int\{"n": 2\}; len\(m\) > 0 \{\n\t\treturn m\["n"\]/);
  assert.match(out, /return mInts\["n"\]\n/);
});

test('a map declared through a named type of another file is found, and edits name other files', async () => {
  const files = {
    'a.go': 'package p\n\ntype bag map[string]any\n',
    'b.go': 'package p\n\nvar b bag = bag{}\n',
    'c.go': 'package p\n\nfunc f() int {\n\tb["n"] = 1\n\tb["s"] = "x"\n\treturn b["n"].(int)\n}\n',
  };
  const p = plan(files);
  assert.is(p.findings.length, 1);
  assert.is(p.findings[0].path, 'b.go');
  const fix = p.findings[0].fix!;
  assert.ok(fix.edits.some((e) => e.file === 'c.go'));
  assert.ok(fix.edits.filter((e) => e.file === undefined).length > 0, 'edits of the declaration file carry no file');
  assert.is((await outputs(files)).get('b.go'), 'package p\n\nvar (\n\tbInts    = map[string]int{}\n\tbStrings = map[string]string{}\n)\n');
});

test('values of interface or unknown type stop the fix', () => {
  const src = (v: string) => `package p

var m = map[string]any{}

func f(x any, e error, fn func()) {
	m["n"] = 1
	m["v"] = ${v}
}
`;
  for (const v of ['x', 'e', 'fn', 'nil', 'g()', 'x.(error)']) {
    const f = plan({ 'a.go': src(v) }).findings[0];
    assert.not.ok(f.fixable, v);
    assert.match(f.message, /not split into typed maps/);
  }
});

test('a one-line function that outgrows 100 bytes is written out by gofmt', async () => {
  const src = `package p

var someLongerName = map[string]any{}

func put() {
	someLongerName["a"] = 1
	someLongerName["b"] = "x"
	someLongerName["c"] = true
}

func size() int { return len(someLongerName) }
`;
  const out = (await outputs({ 'a.go': src })).get('a.go')!;
  assert.match(out, /func size\(\) int \{\n\treturn \(len\(someLongerNameInts\) \+ len\(someLongerNameStrings\) \+ len\(someLongerNameBools\)\)\n\}\n/);
});

test('two maps of one var group are both split in one pass (plain edits do not re-pad each other)', async () => {
  const src = `package p

var (
	a  = map[string]any{}
	bb = map[string]any{}
	c  int
)

func f() int {
	a["n"] = 1
	a["s"] = "x"
	bb["n"] = 2.5
	bb["t"] = true
	return a["n"].(int) + int(bb["n"].(float64))
}
`;
  const p = plan({ 'a.go': src });
  assert.is(p.applied, 2);
  assert.is(p.passes, 1);
  assert.ok((await outputs({ 'a.go': src })).get('a.go')!.includes('var (\n\taInts      = map[string]int{}\n\taStrings   = map[string]string{}\n\tbbFloat64s = map[string]float64{}\n\tbbBools    = map[string]bool{}\n\tc          int\n)'));
});

test('a field of a struct that other packages can see is not split', () => {
  const src = (decl: string) => `package p

type ${decl} struct {
	m map[string]any
}

func (s *${decl}) f() int {
	s.m["n"] = 1
	s.m["s"] = "x"
	return s.m["n"].(int)
}
`;
  assert.match(messages({ 'a.go': src('Exported') })[0], /its struct Exported is exported/);
  assert.match(messages({ 'a.go': `${src('box')}\nfunc Make() *box { return &box{} }\n` })[0], /exported function Make .* hands box values/);
  assert.ok(plan({ 'a.go': src('box') }).findings[0].fixable);
});

test('never throws on broken code', () => {
  const broken = [
    'package p\n\nvar m = map[string]any{\n',
    'package p\n\nvar m = map[string]any{}\nfunc f( { m["a"] = 1; m["b"].(',
    'package p\n\ntype s struct { m map[string]any\nfunc (x *s) f() { x.m["a"] = }',
    'package p\n\nvar m map[string]interface{} = \nvar n = m["a"].(int)\n',
    'package p\nvar m = map[string]any{"a": 1, "b": "s"}\nfunc f() { delete(m, ) ; len(m) }',
  ];
  for (const src of broken) {
    assert.not.throws(() => plan({ 'a.go': src }), src);
  }
});

/** A counting package (see counting-package.ts) with the transform run over it once, as the planner does. */
function countingPackage(sources: Record<string, string>) {
  const p = counting(sources, go122);
  const runAll = (): PackageFinding[] => {
    const out: PackageFinding[] = [];
    if (!anyMapSplit.mayMatch!(p.files.map((f) => f.source))) return out;
    let model: Model | undefined;
    const pass: Pass = {
      pkg: p.pkg,
      files: p.files,
      get model() {
        return (model ??= newModel(p.pkg));
      },
      goVersion: () => go122,
      atLeast: () => true,
      ensureImport: () => null,
      importName: () => undefined,
      edit: (file, start, end, text) => ({ start, end, text, file: file.path }),
      insert: (file, at, text) => ({ start: at, end: at, text, file: file.path }),
      report: (f) => out.push(f),
      fail: (_, err) => {
        throw err;
      },
    };
    anyMapSplit.run(pass);
    return out;
  };
  return { ...p, runAll };
}

test('a package that never writes an interface-map type is not parsed, and is scanned once', () => {
  const p = countingPackage({
    'a.go': 'package p\n\nvar m = map[string]int{}\n\nvar n map[string]interface{ M() }\n',
    'b.go': 'package p\n\nfunc f() any { return m }\n',
    'c.go': 'package p\n\nvar s = "x"\n',
  });
  try {
    assert.equal(p.runAll(), []);
    assert.is(p.parses.size, 0);
    assert.is(p.reads.get('c.go'), 1, 'the package test reads each file once');
  } finally {
    p.done();
  }
});

test('the type in a comment or a string does not make a file parsed', () => {
  const p = countingPackage({
    'a.go': 'package p\n\n// cache is a map[string]any of settings.\nvar cache = loadCache("map[string]any")\n',
  });
  try {
    assert.equal(p.runAll(), []);
    assert.is(p.parses.size, 0);
  } finally {
    p.done();
  }
});

test('white space inside the type does not hide a map from the package test', () => {
  const src = 'package p\n\nvar m = map[ string ]interface {}{}\n\nfunc f() int {\n\tm["a"] = 1\n\treturn m["a"].(int)\n}\n';
  assert.is(messages({ 'a.go': src }).length, 1);
  assert.is(messages({ 'a.go': src.replace('interface {}', 'any') }).length, 1);
});

test('files that write the type only inside functions or signatures are not parsed for themselves', () => {
  const p = countingPackage({
    'local.go': 'package p\n\nfunc f(arg map[string]any) map[string]any {\n\tm := map[string]any{}\n\treturn m\n}\n',
    'sig.go': 'package p\n\ntype hook func(map[string]any) error\n\nvar h = func(x map[string]interface{}) {}\n',
  });
  try {
    assert.equal(p.runAll(), []);
    assert.is(p.parses.size, 0);
  } finally {
    p.done();
  }
});

test('a field declared through a named type of another file is still found', () => {
  const files = {
    'types.go': 'package p\n\ntype bag map[string]any\n',
    'state.go': 'package p\n\ntype state struct {\n\tname string\n\tcb   func(bag) // a signature mentions bag too\n\tb    bag\n}\n',
    'use.go': 'package p\n\nfunc f(s *state) int {\n\ts.b["n"] = 1\n\treturn s.b["n"].(int)\n}\n',
  };
  const found = plan(files).findings;
  assert.equal(found.map((f) => `${f.path}:${f.line}`), ['state.go:6']);
  const p = countingPackage(files);
  try {
    assert.is(p.runAll().length, 1);
  } finally {
    p.done();
  }
});

test.run();
