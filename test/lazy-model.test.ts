/**
 * Packages the module view loads lazily: the text index of which files may declare a name
 * (declindex.ts) never misses a declaration, and a lazy model answers every question about a
 * package's names as the whole-package model does while parsing only the files it needs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hostBuildFiles } from '../src/buildtags.js';
import { fileDeclNames } from '../src/go/declindex.js';
import { addFileDecls } from '../src/go/decls.js';
import type { PackageDecls } from '../src/go/decls.js';
import { LazyDecls } from '../src/go/lazy.js';
import { Model } from '../src/go/model.js';
import { Scope, universe } from '../src/go/objects.js';
import { typeString } from '../src/go/types.js';
import { mirrorTree } from '../src/mirror.js';
import { initParser, parseGo } from '../src/parse.js';
import type { GoFile } from '../src/types.js';

const test = suite('lazy model');
test.before(async () => {
  await initParser();
});

function goFile(name: string, source: string): GoFile {
  const tree = parseGo(source);
  return { path: name, source, tree, root: tree.rootNode, packageName: 'p', goVersion: undefined, isTest: false };
}

test('the index names what a file declares at package level, whatever the layout', () => {
  const src = [
    'package p',
    '',
    '// func Commented() and type InComment int',
    'var s = "func InString()"',
    'var r = `type InRaw int',
    'func InRaw2() {}`',
    '',
    'type (',
    '\tT struct {',
    '\t\tlock  mutex',
    '\t\tfield func(a, b int) (int, error)',
    '\t}',
    '\tU[K comparable] map[K]T',
    '\tF func(',
    '\t\tx int,',
    '\t) error',
    '\tG = T',
    ')',
    '',
    'const (',
    '\tA = iota',
    '\tB // comment',
    '\tC, D = 1, 2',
    ')',
    '',
    'var (',
    '\tx, y int',
    '\tch <-chan int',
    '\tz = f(',
    '\t\targ,',
    '\t)',
    ')',
    '',
    'var fn func(int, bool) = nil',
    'var',
    'late int',
    '',
    'func',
    'Wrapped() {}',
    '',
    'func (t *T) Method() { var local int; _ = local }',
    'func (u U[K]) Generic() {}',
    'func Top[E any](e E) { func() { type inner int }() }',
    'var e, f = func() int { var insideFunc int; return insideFunc }(), 2',
    'var g = struct{ H int }{}; var h2 int',
  ].join('\n');
  const { names, receivers } = fileDeclNames(src);
  for (const n of ['s', 'r', 'T', 'U', 'F', 'G', 'A', 'B', 'C', 'D', 'x', 'y', 'ch', 'z', 'fn', 'late', 'Wrapped', 'Top', 'e', 'f', 'g', 'h2']) assert.ok(names.has(n), `declares ${n}`);
  for (const n of ['Commented', 'InComment', 'InString', 'InRaw', 'InRaw2', 'lock', 'field', 'arg', 'local', 'inner', 'insideFunc', 'H', 'Method', 'Generic', 'int', 'error', 'bool', 'mutex']) assert.not.ok(names.has(n), `does not declare ${n}`);
  assert.ok(receivers.has('T') && receivers.has('U'));
});

/** Every package-level name and method receiver tree-sitter finds in the `.go` files under `dir` is indexed. */
function missedDeclarations(dir: string): string[] {
  const missed: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'testdata') walk(p);
        continue;
      }
      if (!e.name.endsWith('.go')) continue;
      const source = readFileSync(p, 'utf8');
      const tree = parseGo(source);
      if (tree.rootNode.hasError) {
        tree.delete();
        continue;
      }
      const decls: PackageDecls = { scope: new Scope(universe), files: [], methods: new Map() };
      const info = addFileDecls(decls, { path: p, source } as GoFile, mirrorTree(tree, source), () => 'x');
      tree.delete();
      const index = fileDeclNames(source);
      for (const o of info.declared) {
        if (!/^[\p{L}_]/u.test(o.name)) continue;
        const base = o.kind === 'method' ? [...decls.methods].find(([, ms]) => ms.includes(o))![0] : undefined;
        if (base ? !index.receivers.has(base) : !index.names.has(o.name)) missed.push(`${p}: ${base ? `method of ${base}` : o.name}`);
      }
    }
  };
  walk(dir);
  return missed;
}

test("the index misses no declaration of Go's own net, os, runtime and go packages", () => {
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  for (const d of ['net', 'os', 'runtime', 'go']) assert.equal(missedDeclarations(path.join(goroot, 'src', d)), []);
});

test('lazy declarations parse only the files that may declare what is asked', () => {
  const files = [
    goFile('a.go', 'package p\n\ntype T struct{ n int }\n\nfunc New() *T { return &T{} }\n'),
    goFile('b.go', 'package p\n\nfunc (t *T) Get() int { return t.n }\n'),
    goFile('c.go', 'package p\n\nvar Unrelated = 1\n'),
  ];
  const parsed: string[] = [];
  const lazy = new LazyDecls(files, (f) => (parsed.push(f.path), mirrorTree(f.tree, f.source)), () => 'x', () => {});
  assert.ok(lazy.decls.scope.lookup('New'));
  assert.equal(parsed, ['a.go']);
  assert.equal(lazy.decls.scope.lookup('int'), universe.names.get('int'));
  assert.equal(lazy.decls.scope.lookup('missing'), undefined);
  assert.equal(parsed, ['a.go']);
  assert.equal(lazy.methods('T').map((m) => m.name), ['Get']);
  assert.equal(parsed, ['a.go', 'b.go']);
  assert.equal(lazy.all().files.map((f) => f.file.path), ['a.go', 'b.go', 'c.go']);
});

test('a lazy model resolves a file it mirrored before any name was asked, and names in files not loaded yet', () => {
  const files = [
    goFile('a.go', 'package p\n\ntype T struct{ n int }\n'),
    goFile('b.go', 'package p\n\nfunc use() int {\n\tt := &T{}\n\treturn t.n + count\n}\n'),
    goFile('c.go', 'package p\n\nvar count = 1\n'),
  ];
  const m = new Model({ dir: '', name: 'p', files }, { path: 'example.com/p', lazy: true });
  const root = m.rootOf(files[1]);
  const [t, count] = ['t', 'count'].map((name) => root.descendantsWhere('identifier', (_, text) => text === name).at(-1)!);
  assert.equal(typeString(m.typeOf(t)), '*p.T');
  assert.equal(m.objectOf(count)?.file, files[2]);
  assert.equal(typeString(m.typeOf(count)), 'int');
  assert.equal(m.usesOf(m.packageObject('count')!).length, 1);
});

test('a lazy model gives uses in file order, and the same objects, whatever was resolved first', () => {
  const sources = {
    'a.go': 'package p\n\nvar count int\n\nfunc first() { count++ }\n',
    'b.go': 'package p\n\nfunc second(v any) {\n\tn := 1\n\tswitch x := v.(type) {\n\tcase int:\n\t\tcount += x + n\n\t}\n\tcount--\n}\n',
  };
  const files = () => Object.entries(sources).map(([name, src]) => goFile(name, src));
  const eagerFiles = files();
  const eager = new Model({ dir: '', name: 'p', files: eagerFiles }, { path: 'example.com/p' });
  const lazyFiles = files();
  const lazy = new Model({ dir: '', name: 'p', files: lazyFiles }, { path: 'example.com/p', lazy: true });
  const at = (m: Model, fs: GoFile[], file: number, name: string, n = 0) => m.rootOf(fs[file]).descendantsWhere('identifier', (_, t) => t === name)[n];
  // Ask about b.go first: its locals and its type switch symbol resolve before a.go is looked at.
  const n = lazy.objectOf(at(lazy, lazyFiles, 1, 'n', 1));
  const x = lazy.objectOf(at(lazy, lazyFiles, 1, 'x', 1));
  assert.ok(n && x);
  const where = (m: Model, o: ReturnType<Model['packageObject']>) => m.usesOf(o!).map((u) => `${m.fileOf(u)?.file.path}:${u.startIndex}`);
  assert.equal(where(lazy, lazy.packageObject('count')), where(eager, eager.packageObject('count')));
  // The whole-package resolution that usesOf needed keeps the objects handed out before it.
  assert.equal(lazy.objectOf(at(lazy, lazyFiles, 1, 'n', 1)), n);
  assert.equal(lazy.objectOf(at(lazy, lazyFiles, 1, 'x', 1)), x);
  assert.equal(lazy.usesOf(n!).length, 1);
});

test('a lazy model answers as the whole-package model does (net/http: every name, its type, its methods)', () => {
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  const dir = path.join(goroot, 'src', 'net', 'http');
  // The files `go build` compiles here (omithttp2.go, built only with a tag, redeclares names).
  const sources = hostBuildFiles(readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go')).map((name) => ({ name, source: readFileSync(path.join(dir, name), 'utf8') })));
  const load = (): GoFile[] => sources.map((f) => goFile(path.join(dir, f.name), f.source));
  const eager = new Model({ dir, name: 'http', files: load() }, { path: 'net/http' });
  const lazy = new Model({ dir, name: 'http', files: load() }, { path: 'net/http', lazy: true });
  const describe = (m: Model, name: string): string => {
    const o = m.packageObject(name);
    if (!o) return 'none';
    const t = m.typeOfObj(o);
    const methods = o.kind === 'type' ? m.methodsOf(name).map((x) => `${x.name}:${typeString(m.typeOfObj(x))}`) : [];
    return `${o.kind} ${typeString(t)} ${methods.join(',')}`;
  };
  // Lazy first: what it answers must not depend on what happened to be loaded before.
  const all = [...eager.decls.scope.names.keys()].sort();
  const answers = all.map((n) => describe(lazy, n));
  assert.equal(answers, all.map((n) => describe(eager, n)));
});

test.run();
