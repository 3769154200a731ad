/**
 * The shared Go model on real Go snippets: what identifiers resolve to (shadowing, closures, `:=`
 * redeclaration, type switches, struct literal keys), what expressions' types are (declared,
 * inferred, promoted through embedding, through aliases and named collections), and that what it
 * cannot know is an explicit unknown.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { newModel } from '../src/go/model.js';
import type { Model } from '../src/go/model.js';
import { isMap, isSlice, typeString } from '../src/go/types.js';
import type { SyntaxNode } from '../src/mirror.js';
import { initParser, parseGo } from '../src/parse.js';
import type { GoFile } from '../src/types.js';

const test = suite('go-model');
test.before(async () => {
  await initParser();
});

function load(files: Record<string, string>, dir = ''): { m: Model; files: GoFile[] } {
  const gf: GoFile[] = Object.entries(files).map(([path, source]) => {
    const tree = parseGo(source);
    return { path, source, tree, root: tree.rootNode, packageName: 'p', goVersion: undefined, isTest: false };
  });
  return { m: newModel({ dir, name: 'p', files: gf }), files: gf };
}

/** The n-th (0-based) identifier-like node with this text, in document order over the files. */
function ident(m: Model, files: GoFile[], text: string, n = 0): SyntaxNode {
  const all = files.flatMap((f) => m.rootOf(f).descendantsWhere(['identifier', 'field_identifier', 'type_identifier'], (_, t) => t === text));
  assert.ok(all[n], `no ${text} #${n}`);
  return all[n];
}

/** The smallest expression node whose text is exactly `text` (n-th occurrence). */
function expr(m: Model, files: GoFile[], text: string, n = 0): SyntaxNode {
  const out: SyntaxNode[] = [];
  for (const f of files) {
    const root = m.rootOf(f);
    let from = 0;
    for (;;) {
      const i = f.source.indexOf(text, from);
      if (i < 0) break;
      from = i + 1;
      let node: SyntaxNode | undefined = root;
      for (;;) {
        const next: SyntaxNode | undefined = node!.namedChildren.find((c) => c.startIndex <= i && i + text.length <= c.endIndex);
        if (!next) break;
        node = next;
      }
      while (node && node.text !== text) node = node.parent ?? undefined;
      if (node) out.push(node);
    }
  }
  assert.ok(out[n], `no expression ${text} #${n}`);
  return out[n];
}

const t = (m: Model, n: SyntaxNode) => typeString(m.typeOf(n));

test('shadowing, closures and := redeclaration', () => {
  const { m, files } = load({
    'a.go': `package p

var x = 1

func f() {
	x := "s"
	if x := 2.5; x > 0 {
		_ = x
	}
	go func() {
		x = "t"
	}()
	y, x := 3, "u"
	_ = y
	_ = x
}
`,
  });
  const pkgX = m.objectOf(ident(m, files, 'x', 0))!;
  assert.ok(pkgX.pkgLevel);
  const local = m.objectOf(ident(m, files, 'x', 1))!;
  assert.is(local.pkgLevel, false);
  assert.is(t(m, ident(m, files, 'x', 1)), 'string');
  const inIf = m.objectOf(ident(m, files, 'x', 2))!;
  assert.is.not(inIf, local);
  assert.is(m.objectOf(ident(m, files, 'x', 3)), inIf, 'condition sees the if scope');
  assert.is(t(m, ident(m, files, 'x', 4)), 'float64');
  assert.is(m.objectOf(ident(m, files, 'x', 5)), local, 'the closure writes the outer local');
  assert.ok(m.isCaptured(ident(m, files, 'x', 5)));
  assert.is(m.objectOf(ident(m, files, 'x', 6)), local, ':= redeclares x in the same scope: same object');
  assert.is(m.usesOf(local).length, 3);
  assert.is(m.usesOf(pkgX).length, 0);
});

test('x := x + 1 refers to the outer x on the right', () => {
  const { m, files } = load({ 'a.go': 'package p\n\nfunc f(x int) {\n\t{\n\t\tx := x + 1\n\t\t_ = x\n\t}\n}\n' });
  const param = m.objectOf(ident(m, files, 'x', 0))!;
  assert.is(param.param, 'param');
  assert.is(m.objectOf(ident(m, files, 'x', 2)), param);
  assert.is.not(m.objectOf(ident(m, files, 'x', 1)), param);
});

test('types of declarations, literals, calls, index, slice, range, assertions', () => {
  const { m, files } = load({
    'a.go': `package p

import (
	"bytes"
	"sync"
)

type Counts map[string]int
type Names = []string
type Item struct{ id int; tags []string }

var pool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func mk() (*Item, error) { return &Item{id: 1}, nil }

func g(cs Counts, ns Names, items []Item, ch chan *Item) {
	it, err := mk()
	buf := pool.Get().(*bytes.Buffer)
	n := cs["a"]
	v, ok := cs["b"]
	sub := ns[1:]
	for i, s := range ns {
		_, _ = i, s
	}
	for k, c := range cs {
		_, _ = k, c
	}
	for _, item := range items {
		_ = item.tags
	}
	p := new(Item)
	q := make(map[int][]byte)
	r := <-ch
	_, _, _, _, _, _, _, _, _, _, _ = it, err, buf, n, v, ok, sub, p, q, r, []int{1}
}
`,
  });
  const ty = (name: string, n = 0) => t(m, ident(m, files, name, n));
  assert.is(ty('it'), '*Item');
  assert.is(ty('err'), 'error');
  assert.is(ty('buf'), '*bytes.Buffer');
  assert.is(ty('n'), 'int');
  assert.is(ty('v'), 'int');
  assert.is(ty('ok'), 'bool');
  assert.is(ty('sub'), '[]string', 'an alias is its target type');
  assert.is(ty('i'), 'int');
  assert.is(ty('s'), 'string');
  assert.is(ty('k'), 'string');
  assert.is(ty('c'), 'int');
  assert.is(ty('item'), 'Item');
  assert.is(t(m, expr(m, files, 'item.tags')), '[]string');
  assert.is(ty('p'), '*Item');
  assert.is(ty('q'), 'map[int][]byte'.replace('byte', 'uint8'));
  assert.is(ty('r'), '*Item');
  assert.ok(isMap(m.typeOf(ident(m, files, 'cs', 1))), 'a named map type is a map');
  assert.ok(isSlice(m.typeOf(ident(m, files, 'ns', 1))));
  assert.is(t(m, expr(m, files, '[]int{1}')), '[]int');
});

test('embedding: promoted fields and methods, struct literal keys', () => {
  const { m, files } = load({
    'a.go': `package p

import "sync"

type base struct {
	mu    sync.Mutex
	items map[string]int
}

func (b *base) Len() int { return len(b.items) }

type Store struct {
	*base
	name string
}

func use(s *Store) int {
	s.mu.Lock()
	s.items["a"] = 1
	_ = Store{name: "x"}
	return s.Len()
}
`,
  });
  assert.is(t(m, expr(m, files, 's.items')), 'map[string]int');
  assert.is(t(m, expr(m, files, 's.mu')), 'sync.Mutex');
  const items = m.objectOf(ident(m, files, 'items', 2))!;
  assert.is(items.kind, 'field');
  assert.is(items, m.objectOf(ident(m, files, 'items', 0)), 'the promoted field is the declared field');
  assert.is(m.usesOf(items).length, 2);
  const len = m.objectOf(ident(m, files, 'Len', 1))!;
  assert.is(len.kind, 'method');
  assert.is(len.ident, ident(m, files, 'Len', 0));
  assert.is(t(m, expr(m, files, 's.Len()')), 'int');
  const key = m.objectOf(ident(m, files, 'name', 1))!;
  assert.is(key, m.objectOf(ident(m, files, 'name', 0)), 'a struct literal key is the field');
  assert.equal(m.methodSet(m.typeOf(ident(m, files, 's', 0))).map((s) => s.name), ['Len']);
});

test('type switch symbols, select receives, method values', () => {
  const { m, files } = load({
    'a.go': `package p

type T struct{}

func (T) M() string { return "" }

func f(v any, ch chan int) {
	switch w := v.(type) {
	case T:
		_ = w
	case int, string:
		_ = w
	}
	select {
	case n, ok := <-ch:
		_, _ = n, ok
	}
	g := T{}.M
	_ = g
}
`,
  });
  assert.is(t(m, ident(m, files, 'w', 1)), 'T');
  assert.is(t(m, ident(m, files, 'w', 2)), 'interface{}');
  assert.is(t(m, ident(m, files, 'n', 0)), 'int');
  assert.is(t(m, ident(m, files, 'ok', 0)), 'bool');
  assert.is(t(m, ident(m, files, 'g', 0)), 'func() string');
});

test('unknown is explicit: other packages, unresolved names, generic results', () => {
  const { m, files } = load({
    'a.go': `package p

import "example.com/lib"

func Map[T, U any](xs []T, f func(T) U) []U { return nil }

func f() {
	a := lib.Make()
	b := undefinedName
	c := Map([]int{1}, func(int) string { return "" })
	var d lib.Thing
	_, _, _, _ = a, b, c, d
}
`,
  });
  for (const name of ['a', 'b', 'c']) assert.is(m.typeOf(ident(m, files, name, 0)).kind, 'unknown', name);
  assert.is(t(m, ident(m, files, 'd', 0)), 'lib.Thing');
  assert.is(m.objectOf(ident(m, files, 'undefinedName')), undefined);
});

test('import names: explicit, versioned paths, gopkg.in, go- prefixes', () => {
  const { m, files } = load({
    'a.go': 'package p\n\nimport (\n\t"gopkg.in/yaml.v3"\n\t"github.com/x/go-redis/v9"\n\tj "encoding/json"\n\t"github.com/a/b"\n)\n\nvar _ = yaml.Marshal\nvar _ = redis.Nil\nvar _ = j.Marshal\nvar _ = b.X\n',
  });
  assert.equal(m.importsOf(files[0]).map((i) => i.name), ['yaml', 'redis', 'j', 'b']);
  assert.is(m.objectOf(ident(m, files, 'yaml'))?.kind, 'pkgname');
  assert.is(m.objectOf(ident(m, files, 'redis'))?.pkg, 'github.com/x/go-redis/v9');
});


test('callees: methods by receiver type, not by name; interface calls reach every implementation', () => {
  const { m, files } = load({
    'a.go': `package p

type Store interface{ Put(k string) }

type mem struct{ m map[string]int }

func (s *mem) Put(k string) { s.m[k] = 1 }

type disk struct{}

func (disk) Put(k string) {}

type other struct{}

func (other) Put(k string, v int) {}

func save(s Store) { s.Put("a") }

func direct(d *mem, o other) {
	d.Put("b")
	o.Put("c", 1)
	f := helper
	f()
	func() {}()
}

func helper() {}
`,
  });
  const callAt = (text: string) => expr(m, files, text);
  const names = (text: string) =>
    m
      .callees(callAt(text))
      .map((c) => `${c.kind}:${c.obj ? `${c.obj.name}@${c.decl?.startPosition.row! + 1}` : c.why ?? ''}`)
      .sort();
  assert.equal(names('s.Put("a")'), ['interface:Put@11', 'interface:Put@7'], 'both implementations, not other.Put');
  assert.equal(names('d.Put("b")'), ['method:Put@7']);
  assert.equal(names('o.Put("c", 1)'), ['method:Put@15']);
  assert.equal(names('f()'), ['func:helper@27'], 'a function value bound once');
  assert.equal(m.callees(callAt('func() {}()'))[0].kind, 'literal');
});

test('callees through embedding, and the standard-library facts', () => {
  const { m, files } = load({
    'a.go': `package p

import (
	"bytes"
	"net/http"
	"sync"
	"time"
)

type inner struct{}

func (*inner) Flush() {}

type outer struct {
	inner
	sync.Mutex
}

var pool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func f(o *outer, wg *sync.WaitGroup) {
	o.Flush()
	o.Lock()
	buf := pool.Get().(*bytes.Buffer)
	data := buf.Bytes()
	go worker(data)
	wg.Go(func() { _ = data })
	time.AfterFunc(time.Second, o.Flush)
	http.HandleFunc("/", handle)
	d := time.Second
	_ = d
}

func worker(b []byte) {}

func handle(w http.ResponseWriter, r *http.Request) {}
`,
  });
  assert.equal(m.callees(expr(m, files, 'o.Flush()')).map((c) => c.kind), ['method']);
  const lock = m.callees(expr(m, files, 'o.Lock()'));
  assert.is(lock[0].std, 'sync.(*Mutex).Lock');
  assert.ok(lock[0].fact?.joins);
  const bytesCall = m.callees(expr(m, files, 'buf.Bytes()'))[0];
  assert.is(bytesCall.std, 'bytes.(*Buffer).Bytes');
  assert.ok(bytesCall.fact?.view, 'Bytes returns a view of the reused buffer');
  assert.is(t(m, ident(m, files, 'data')), '[]uint8');
  assert.is(t(m, ident(m, files, 'd')), 'time.Duration');
  const starts = m.goroutineStarts(m.rootOf(files[0]));
  assert.equal(
    starts.map((s) => `${s.how}:${s.fn.text}:${s.callees.map((c) => c.kind).join(',')}`),
    ['go:worker:func', 'spawn:func() { _ = data }:literal', 'spawn:o.Flush:method', 'handler:handle:func'],
  );
});

test('generic code: type parameters are not guessed', () => {
  const { m, files } = load({
    'a.go': `package p

type List[T any] struct{ items []T }

func (l *List[T]) Push(v T) { l.items = append(l.items, v) }

func (l *List[E]) Last() E { return l.items[len(l.items)-1] }

func Map[T, U any](xs []T, f func(T) U) []U { return nil }

func use(l *List[int]) {
	l.Push(1)
	x := l.items
	y := l.Last()
	z := Map(x, func(int) string { return "" })
	_, _, _ = x, y, z
}
`,
  });
  assert.equal(m.callees(expr(m, files, 'l.Push(1)')).map((c) => c.kind), ['method']);
  assert.is(m.objectOf(ident(m, files, 'T', 2))?.kind, 'type', 'the receiver declares T');
  assert.is(t(m, ident(m, files, 'y')), 'int', 'a method result through the receiver\'s own parameter names');
  assert.is(m.typeOf(ident(m, files, 'z')).kind, 'unknown', 'inference of a generic call is not guessed');
  assert.is(t(m, ident(m, files, 'x')), '[]int', 'fields of an instantiated generic type');
});

test('struct keys in literals whose types are elided (table tests, maps of pointers)', () => {
  const { m, files } = load({
    'a.go': `package p

type pair struct {
	name string
	n    int
}

var tests = []struct {
	name string
	in   []pair
}{
	{name: "a", in: []pair{{name: "x", n: 1}}},
}

var ptrs = map[string]*pair{"k": {name: "y"}}
`,
  });
  const pairName = m.objectOf(ident(m, files, 'name', 0));
  const rowName = m.objectOf(ident(m, files, 'name', 1));
  assert.is(m.objectOf(ident(m, files, 'name', 2)), rowName);
  assert.is(m.objectOf(ident(m, files, 'name', 3)), pairName);
  assert.is(m.objectOf(ident(m, files, 'name', 4)), pairName, 'an elided &pair{...}');
  assert.is(t(m, expr(m, files, '{name: "y"}')), '*pair');
});

test('module view: other packages of the module load on request, named by their package clause', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gomend-model-'));
  try {
    writeFileSync(path.join(root, 'go.mod'), 'module example.com/app\n\ngo 1.22\n');
    mkdirSync(path.join(root, 'internal', 'store-v2'), { recursive: true });
    writeFileSync(
      path.join(root, 'internal', 'store-v2', 'store.go'),
      'package store\n\ntype DB struct{ rows map[string][]byte }\n\nfunc Open() *DB { return &DB{} }\n\nfunc (d *DB) Get(k string) []byte { return d.rows[k] }\n',
    );
    mkdirSync(path.join(root, 'cmd'));
    const { m, files } = load(
      { 'cmd/main.go': 'package main\n\nimport "example.com/app/internal/store-v2"\n\nfunc main() {\n\tdb := store.Open()\n\tv := db.Get("k")\n\t_ = v\n}\n' },
      path.join(root, 'cmd'),
    );
    assert.is(m.path, 'example.com/app/cmd');
    assert.equal(m.importsOf(files[0]).map((i) => i.name), ['store'], 'the package clause, not the path, names it');
    assert.is(t(m, ident(m, files, 'db')), '*store.DB');
    assert.is(t(m, ident(m, files, 'v')), '[]uint8');
    const get = m.callees(expr(m, files, 'db.Get("k")'));
    assert.is(get[0].kind, 'method');
    assert.is(get[0].model?.path, 'example.com/app/internal/store-v2');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('generic standard-library types take their type argument: atomic.Pointer[T].Load is *T', () => {
  const { m, files } = load({
    'a.go': `package p

import "sync/atomic"

type Config struct{ Limits map[string]int }

var current atomic.Pointer[Config]

func f() {
	next := *current.Load()
	old := current.Swap(&next)
	_ = old
}
`,
  });
  assert.is(t(m, ident(m, files, 'next')), 'Config');
  assert.is(t(m, ident(m, files, 'old')), '*Config');
  assert.ok(m.callees(expr(m, files, 'current.Load()'))[0].fact?.joins);
});

test.run();
