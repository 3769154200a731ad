/**
 * Unit tests for goroutine-subslice: the decisions behind each fix or refusal, on small packages.
 * The fixtures under fixtures/goroutine-subslice check whole files and real races; these pin down
 * the rules one at a time.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initParser } from '../src/parse.js';
import { planPackage } from '../src/plan.js';
import { parseGoVersion } from '../src/goversion.js';
import type { Context, Package } from '../src/types.js';
import { goroutineSubslice } from '../transforms/goroutine-subslice/index.js';
import { hasGoStatement, hasSend } from '../transforms/goroutine-subslice/gate.js';

const test = suite('goroutine-subslice');

test.before(async () => {
  await initParser();
});

interface Result {
  findings: string[];
  fixable: boolean[];
  out: string;
}

/** Runs the transform on `main.go` (plus other files of the package) at a Go version. */
function run(src: string, version: string | null = '1.21', others: Record<string, string> = {}): Result {
  const goVersion = version ? parseGoVersion(version) : undefined;
  const files = [{ path: 'main.go', source: src, goVersion }, ...Object.entries(others).map(([path, source]) => ({ path, source, goVersion }))];
  const plan = planPackage(files, [goroutineSubslice]);
  return {
    findings: plan.findings.map((f) => `${f.line}: ${f.message}`),
    fixable: plan.findings.map((f) => f.fixable),
    out: plan.outputs.get('main.go') ?? src,
  };
}

const readLoop = (imports: string, extra = '', handoff = 'go handle(buf[:n])') => `package p

import (
${imports}
)
${extra}
func handle(p []byte) { _ = string(p) }

func loop(r io.Reader) {
	buf := make([]byte, 64)
	for {
		n, err := r.Read(buf)
		if err != nil {
			return
		}
		${handoff}
	}
}
`;

test('clones a reused read buffer with slices.Clone at Go 1.21 and adds the import', () => {
  const r = run(readLoop('\t"io"'));
  assert.equal(r.fixable, [true]);
  assert.match(r.out, 'go handle(slices.Clone(buf[:n]))');
  assert.match(r.out, 'import (\n\t"io"\n\t"slices"\n)');
});

test('uses the append copy below Go 1.21 and when the version is unknown', () => {
  for (const v of ['1.20', null]) {
    const r = run(readLoop('\t"io"'), v);
    assert.match(r.out, 'go handle(append(buf[:0:0], buf[:n]...))');
    assert.not.match(r.out, '"slices"');
  }
});

test('reuses an existing slices import, renamed or from x/exp', () => {
  let r = run(readLoop('\t"io"\n\tsl "slices"', '\nvar _ = sl.Index[[]int]\n'));
  assert.match(r.out, 'go handle(sl.Clone(buf[:n]))');
  r = run(readLoop('\t"io"\n\n\t"golang.org/x/exp/slices"', '\nvar _ = slices.Index[[]int]\n'));
  assert.match(r.out, 'go handle(slices.Clone(buf[:n]))');
  assert.not.match(r.out, '\t"slices"');
});

test('reuses an existing bytes import for byte slices from Go 1.20', () => {
  let r = run(readLoop('\t"bytes"\n\t"io"', '\nvar _ = bytes.Equal\n'), '1.20');
  assert.match(r.out, 'go handle(bytes.Clone(buf[:n]))');
  r = run(readLoop('\t"bytes"\n\t"io"', '\nvar _ = bytes.Equal\n'), '1.21');
  assert.match(r.out, 'go handle(bytes.Clone(buf[:n]))');
  assert.not.match(r.out, '"slices"');
  r = run(readLoop('\t"bytes"\n\t"io"\n\t"slices"', '\nvar _ = bytes.Equal\nvar _ = slices.Index[[]int]\n'), '1.21');
  assert.match(r.out, 'go handle(slices.Clone(buf[:n]))');
  r = run(readLoop('\t"bytes"\n\t"io"', '\nvar _ = bytes.Equal\n'), '1.19');
  assert.match(r.out, 'go handle(append(buf[:0:0], buf[:n]...))');
});

test('falls back to append when the name slices is taken', () => {
  // a package-level declaration in another file
  let r = run(readLoop('\t"io"'), '1.21', { 'other.go': 'package p\n\nvar slices = 3\n' });
  assert.match(r.out, 'append(buf[:0:0], buf[:n]...)');
  // another package imported as slices
  r = run(readLoop('\t"io"\n\n\t"example.com/slices"', '\nvar _ = slices.X\n'));
  assert.match(r.out, 'append(buf[:0:0], buf[:n]...)');
  // a local in scope
  r = run(readLoop('\t"io"', '', 'slices := 1\n\t\t_ = slices\n\t\tgo handle(buf[:n])'));
  assert.match(r.out, 'append(buf[:0:0], buf[:n]...)');
  // a local elsewhere does not matter
  r = run(readLoop('\t"io"', '\nfunc other() { slices := 1; _ = slices }\n'));
  assert.match(r.out, 'slices.Clone(buf[:n])');
});

const joined = (between: string) => `package p

import "sync"

func use(p []int, wg *sync.WaitGroup) { defer wg.Done(); _ = len(p) + p[0] }

func f(xs []int, mu *sync.Mutex, done chan struct{}) {
	var wg sync.WaitGroup
	wg.Add(1)
	go use(xs[:2], &wg)
	${between}
	xs[0] = 1
}
`;

test('a join before the write means no finding', () => {
  for (const join of ['wg.Wait()', '<-done', 'mu.Lock()', 'select {\n\tcase <-done:\n\t}']) {
    assert.equal(run(joined(join)).findings, [], join);
  }
  assert.equal(run(joined('_ = 1')).fixable, [true]);
});

test('a select that only polls for cancellation is not a join', () => {
  const src = (dflt: string) => `package p

import (
	"context"
	"io"
)

func handle(p []byte) { _ = string(p) }

func f(ctx context.Context, r io.Reader) {
	buf := make([]byte, 64)
	for {
		select {
		case <-ctx.Done():
			${dflt}
		default:
		}
		n, _ := r.Read(buf)
		go handle(buf[:n])
	}
}
`;
  assert.equal(run(src('return')).fixable, [true]);
  assert.equal(run(src('_ = 1')).findings, []);
});

test('a join on a path that returns does not protect the path that goes on', () => {
  const src = `package p

import (
	"io"
	"sync"
)

func handle(p []byte, wg *sync.WaitGroup) { defer wg.Done(); _ = string(p) }

func f(r io.Reader) {
	var wg sync.WaitGroup
	buf := make([]byte, 64)
	for {
		n, err := r.Read(buf)
		if err != nil {
			wg.Wait()
			return
		}
		wg.Add(1)
		go handle(buf[:n], &wg)
	}
}
`;
  assert.equal(run(src).fixable, [true]);
});

test('a buffer allocated fresh in each iteration is left alone', () => {
  const src = `package p

import "io"

func handle(p []byte) { _ = string(p) }

func a(r io.Reader) {
	for {
		buf := make([]byte, 64)
		n, _ := r.Read(buf)
		go handle(buf[:n])
	}
}

func b(r io.Reader) {
	var buf []byte
	for {
		buf = make([]byte, 64)
		n, _ := r.Read(buf)
		go handle(buf[:n])
	}
}

func c(r io.Reader) {
	for {
		var arr [64]byte
		n, _ := r.Read(arr[:])
		go handle(arr[:n])
	}
}
`;
  assert.equal(run(src).findings, []);
});

test('a parent that signals a waiting goroutine after writing is left alone', () => {
  const src = `package p

func worker(p []int, ready chan struct{}) {
	<-ready
	_ = p[0]
}

func f(xs []int) {
	ready := make(chan struct{})
	go worker(xs[:2], ready)
	xs[0] = 1
	close(ready)
}
`;
  assert.equal(run(src).findings, []);
});

test('refuses when the goroutine writes through the slice', () => {
  const cases: [string, string][] = [
    ['copy(p, "abc")', 'the goroutine writes through p (calls copy): sharing looks intended'],
    ['p[0]++', 'the goroutine writes through p (assigns p[0]): sharing looks intended'],
    ['_ = append(p, 1)', 'the goroutine writes through p (calls append): sharing looks intended'],
    ['q := p[1:]\n\tq[0] = 2', 'the goroutine writes through p (assigns q[0]): sharing looks intended'],
    ['sort.Slice(p, func(i, j int) bool { return p[i] < p[j] })', 'the goroutine writes through p (calls sort.Slice): sharing looks intended'],
    ['io.ReadFull(r, p)', 'the goroutine writes through p (calls io.ReadFull): sharing looks intended'],
  ];
  for (const [body, reason] of cases) {
    const src = `package p

import (
	"io"
	"sort"
)

var _ = sort.Ints
var r io.Reader

func g(p []byte) {
	${body}
}

func f(buf []byte) {
	go g(buf[:4])
	buf[0] = 1
}
`;
    const res = run(src);
    assert.equal(res.fixable, [false], body);
    assert.match(res.findings[0], reason, body);
  }
});

test('refuses when it cannot see what the goroutine does with the slice', () => {
  const src = `package p

import "net"

func g(c net.Conn, p []byte) { c.SetDeadline(p) }

func f(c net.Conn, buf []byte) {
	go g(c, buf[:4])
	buf[0] = 1
	go ext.Handle(buf[:4])
	buf[1] = 1
}
`;
  const res = run(src);
  assert.equal(res.fixable, [false, false]);
  assert.match(res.findings[0], 'cannot tell whether the goroutine writes through p: it passes p to c.SetDeadline');
  assert.match(res.findings[1], 'cannot tell whether the goroutine writes through buf[:4]: it passes buf[:4] to ext.Handle');
});

test('io.Writer.Write and printing only read', () => {
  const src = `package p

import (
	"fmt"
	"io"
)

func f(w io.Writer, buf []byte) {
	go w.Write(buf[:4])
	go fmt.Println(buf[:4])
	buf[0] = 1
}
`;
  assert.equal(run(src).fixable, [true, true]);
});

test('strings never need a copy, and unknown types are reported', () => {
  const src = `package p

func use(s string) {}
func useB(b []byte) {}

func f(s string, r interface{ Read([]byte) (int, error) }) {
	go use(s[:2])
	s = "x"
	buf := newBuf()
	go useB(buf[:2])
	r.Read(buf)
}
`;
  const res = run(src);
  assert.equal(res.findings.length, 1);
  assert.match(res.findings[0], 'no fix: cannot tell the type of buf');
});

test('a captured subslice becomes a parameter of the func literal', () => {
  const src = `package p

type Batch []int

func check(b Batch) bool { return len(b) > 0 }

func f(items Batch, arr *[8]string) {
	preview := items[:2]
	head := arr[:3]
	go func(x int) {
		_ = check(preview)
		_ = x + len(head) + len(head[0])
	}(1)
	items[0] = 1
	arr[0] = "x"
}
`;
  const res = run(src);
  assert.equal(res.fixable, [true, true]);
  assert.match(res.out, 'go func(x int, preview Batch, head []string) {');
  assert.match(res.out, '}(1, slices.Clone(preview), slices.Clone(head))');
});

test('captured variables that are reassigned are not treated as subslices', () => {
  const src = `package p

func f(items []int) {
	preview := items[:2]
	if len(items) > 5 {
		preview = items[:5]
	}
	go func() { _ = preview[0] }()
	items[0] = 1
}
`;
  assert.equal(run(src).findings, []);
});

test('refuses a parameter for a variadic func literal, and reports the closure writing', () => {
  const src = `package p

func f(items []int) {
	preview := items[:2]
	go func(xs ...int) { _ = preview[0] }()
	items[0] = 1
	part := items[2:]
	go func() { part[0] = 3 }()
	items[3] = 1
}
`;
  const res = run(src);
  assert.equal(res.fixable, [false, false]);
  assert.match(res.findings[0], 'no fix: the func literal has a variadic parameter');
  assert.match(res.findings[1], 'the goroutine writes through part (assigns part[0]): sharing looks intended');
});

test('a shadowing variable in an inner block is a different buffer', () => {
  const src = `package p

func use(p []int) {}

func f(buf []int) {
	go use(buf[:2])
	{
		buf := make([]int, 4)
		buf[0] = 1
	}
}
`;
  assert.equal(run(src).findings, []);
});

test('a sent buffer the parent uses again after a join may be meant for the receiver to fill', () => {
  const src = `package p

func f(jobs chan []byte, done chan struct{}, buf []byte) []byte {
	jobs <- buf[:4]
	buf[8] = 1
	<-done
	return buf[:4]
}
`;
  const res = run(src);
  assert.equal(res.fixable, [false]);
  assert.match(res.findings[0], 'no fix: cannot tell whether the receiver writes through buf[:4]: the parent uses buf again after a join');
});

test('sending x[:0] hands over capacity on purpose', () => {
  const src = `package p

func f(free chan []byte, buf []byte) {
	free <- buf[:0]
	buf[0] = 1
}
`;
  assert.equal(run(src).findings, []);
});

test('writes after the function returns are not the parent', () => {
  const src = `package p

func use(p []int) {}

func f(buf []int) {
	for {
		go use(buf[:2])
		return
	}
	buf[0] = 1
}
`;
  assert.equal(run(src).findings, []);
});

test('copy into, append into and same-package writers count as parent writes', () => {
  const mk = (write: string) => `package p

func use(p []int) {}

func fill(dst []int) {
	for i := range dst {
		dst[i] = i
	}
}

func f(buf []int, src []int) {
	go use(buf[:2])
	${write}
}
`;
  for (const w of ['copy(buf, src)', 'buf = append(buf[:0], src...)', 'fill(buf)', 'fill(buf[1:])']) {
    assert.equal(run(mk(w)).fixable, [true], w);
  }
  for (const w of ['_ = len(buf)', 'buf = src\n\tbuf[0] = 1', 'use(buf)']) {
    assert.equal(run(mk(w)).findings, [], w);
  }
});

test('a variable bound to a subslice, passed or sent', () => {
  const src = `package p

func use(p []int) {}

func f(buf []int, ch chan []int) {
	head := buf[:2]
	go use(head)
	ch <- head
	buf[0] = 1
}
`;
  const res = run(src, '1.19');
  assert.equal(res.fixable, [true, true]);
  assert.match(res.out, 'go use(append(head[:0:0], head...))');
  assert.match(res.out, 'ch <- append(head[:0:0], head...)');
});

test('never throws on broken code', () => {
  const srcs = [
    'package p\n\nfunc f() { go f(buf[:n]\n buf[0] = \n}',
    'package p\n\nfunc f() { go ; ch <- ; for { go x[:](); } }',
    'package p\n\nfunc (s *) m() { go s.m(b[1:2:3]); b[0] = 1 }\n',
    'package p\n\nvar x = func() { go func(a ...) {}(y[:1]); y[0] = 1 }',
  ];
  for (const s of srcs) run(s);
});

test('mayMatch skips files without a go statement, a send or a spawner', () => {
  assert.not.ok(goroutineSubslice.mayMatch!(['package p\n\nfunc f() { g(b[:n]) }\n']));
  assert.ok(goroutineSubslice.mayMatch!(['package p\n\nfunc f() { go g(b[:n]) }\n']));
  assert.ok(goroutineSubslice.mayMatch!(['package p\n\nfunc f(wg *sync.WaitGroup) { wg.Go(func() { g(b[:n]) }) }\n']));
  assert.ok(goroutineSubslice.mayMatch!(['package p\n\nfunc f(p pool) { p.SubmitTask(func() { g(b[:n]) }) }\n']));
});

/** The transform without its text test: what `run` finds when every file is given to it. */
const ungated = { ...goroutineSubslice, mayMatch: undefined };

/** A function body in a package, with a reader, a channel and a buffer written again after the hand-off. */
const inLoop = (body: string, extra = '') => `package p

import "io"

func use(p []byte) { _ = len(p) }
${extra}
func f(r io.Reader, ch chan []byte) {
	buf := make([]byte, 64)
	for i := 0; i < 3; i++ {
		n, _ := r.Read(buf)
		${body}
		buf[0] = 1
	}
}
`;

test('mayMatch passes every form of go statement and send that hands over a subslice', () => {
  const forms = [
    'go use(buf[:n])',
    'go use(buf[i:n])',
    'go func(p []byte) { use(p) }(buf[:n])',
    'p := buf[:n]\n\t\tgo use(p)',
    'p := buf[1:n]\n\t\tgo func() { use(p) }()',
    'p := buf[1:n]\n\tL:\n\t\tgo func() { use(p) }()\n\t\tgoto L',
    'p := buf[1:n]\n\tL: go func() { use(p) }()\n\t\tgoto L',
    'func() { go use(buf[1:]); buf[0] = 2 }()',
    'func() { use(nil); go use(buf[1:]); buf[0] = 2 }()',
    'switch { case n > 0: go use(buf[:n]) }',
    'go use(\n\t\t\tbuf[:n],\n\t\t)',
    'go func() {\n\t\t\tuse(nil)\n\t\t}()\n\t\tgo use(buf[:n])',
    'go use(buf[len(")"):n])',
    'go use(buf[buf[0]:])',
    'ch <- buf[:n]',
    'select {\n\t\tcase ch <- buf[:n]:\n\t\t}',
    'p := buf[:n]\n\t\tch <- p',
    'var p = buf[:n]\n\t\tgo use(p)',
    'p :=\n\t\t\tbuf[1:n]\n\t\tgo use(p)',
    // a goroutine that slices the read buffer for itself
    'go func() {\n\t\t\tuse(buf[1:n])\n\t\t}()',
  ];
  for (const body of forms) {
    const src = inLoop(body);
    assert.ok(goroutineSubslice.mayMatch!([src]), body);
    const found = planPackage([{ path: 'main.go', source: src, goVersion: parseGoVersion('1.21') }], [ungated]).findings;
    assert.ok(found.length > 0, `run finds the hand-off: ${body}`);
  }
});

test('mayMatch rejects files that cannot hold a hand-off, and run agrees', () => {
  const sources = [
    // the word go in comments, and no go statement
    inLoop('// go use(buf[:n]) would race\n\t\tuse(buf[:n])', '// Let it go (buf[:n]).\n'),
    // receives only
    inLoop('v := <-ch\n\t\tuse(v[1:])\n\t\tselect {\n\t\tcase <-ch:\n\t\t}\n\t\tfor range <-ch {\n\t\t}'),
    inLoop('use(buf[:n])', 'func get(c chan []byte) []byte { return <-c }\n'),
    // channel types
    inLoop('use(buf[:n])', 'var out chan<- []byte\nvar in <-chan []byte\n\nfunc mk() <-chan int { return nil }\n'),
    // arrows in strings and comments
    inLoop('use(buf[:n])\n\t\ts := "a <- b[1:]"\n\t\t_ = s // x <- y', '// a <-- b, a <-> b\n'),
  ];
  for (const src of sources) {
    assert.not.ok(goroutineSubslice.mayMatch!([src]), src);
    const found = planPackage([{ path: 'main.go', source: src, goVersion: parseGoVersion('1.21') }], [ungated]).findings;
    assert.equal(found, [], 'run finds nothing either');
  }
});

test('a whole buffer that a read fills again is a hand-off: mayMatch keeps it, run finds it', () => {
  for (const src of [inLoop('go use(buf)\n\t\tch <- buf\n\t\tx := buf[1:]\n\t\tuse(x)'), inLoop('go use(buf)\n\t\tch <- buf')]) {
    assert.ok(goroutineSubslice.mayMatch!([src]), src);
    const found = planPackage([{ path: 'main.go', source: src, goVersion: parseGoVersion('1.21') }], [ungated]).findings;
    assert.equal(found.length, 2, 'the go statement and the send');
  }
});

test('the statement tests tell go statements and sends from their look-alikes', () => {
  const yes = ['\tgo f()', 'x: go f()', '{ go f() }', 'a(); go(f)()', 'go\tf()', '\tch <- v', '\ts.ch <- v', '\tchans[i] <- v', '\tget() <- v', 'case c <- v:'];
  const no = ['// go f()', 'let it go', 'gopher()', 'goto L', 'x := <-ch', 'case <-ch:', 'return <-ch', 'var c chan<- int', 'func f() <-chan int', 'var c <-chan int', '"a <- b"', '// a <- b', 'x <-> y'];
  for (const s of yes) assert.ok(hasGoStatement(s) || hasSend(s), s);
  for (const s of no) assert.not.ok(hasGoStatement(s) || hasSend(s), s);
});


test('a callee declared in another file is followed', () => {
  const r = run(inLoop('go handle(buf[:n])'), '1.21', {
    'calls.go': 'package p\n\nfunc caller() { handle(nil); var handle = 1; _ = handle }\n',
    'handle.go': 'package p\n\nfunc handle(p []byte) { p[0] = 1 }\n',
    'other.go': 'package p\n\ntype T struct{ buf []byte }\n\nfunc (t *T) handle(p []byte) {}\n\nvar unrelated = 1\n',
  });
  assert.is(r.findings.length, 1);
  assert.match(r.findings[0], 'no fix: the goroutine writes through p (assigns p[0])');
});

test('with a name declared in several files (build tags), the model\'s declaration is followed', () => {
  const reads = 'package p\n\nfunc handle(p []byte) { _ = len(p) }\n';
  const writes = 'package p\n\nfunc handle(p []byte) { p[0] = 1 }\n';
  for (const [first, second] of [[reads, writes], [writes, reads]] as const) {
    const r = run(inLoop('go handle(buf[:n])'), '1.21', { 'a.go': first, 'b.go': second });
    assert.is(r.findings.length, 1);
  }
});

test('closures run elsewhere: a read buffer sliced inside is copied before the hand-off, a view is cloned where it is bound', () => {
  const sliced = run(readLoop('\t"io"', '', 'go func() {\n\t\t\thandle(buf[:n])\n\t\t}()'));
  assert.is(sliced.findings.length, 1);
  assert.match(sliced.out, '\t\tdata := slices.Clone(buf[:n])\n\t\tgo func() {\n\t\t\thandle(data)\n\t\t}()');
  const view = `package p

import (
	"bufio"
	"io"
	"time"
)

func use(p []byte) { _ = string(p) }

func f(r io.Reader, skip bool) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Bytes()
		if !skip {
			time.AfterFunc(time.Second, func() { use(line) })
		}
	}
}
`;
  const v = run(view);
  assert.is(v.findings.length, 1);
  assert.match(v.findings[0], 'the func given to time.AfterFunc reads line (sc.Bytes())');
  assert.match(v.out, 'line := slices.Clone(sc.Bytes())');
  // Read again only after the goroutine is joined: no finding.
  const joined = run(readLoop('\t"io"\n\t"sync"', '', 'var wg sync.WaitGroup\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\thandle(buf[:n])\n\t\t}()\n\t\twg.Wait()'));
  assert.is(joined.findings.length, 0);
  // The closure writes through the buffer: reported, not fixed.
  const writes = run(readLoop('\t"io"', '', 'go func() {\n\t\t\tbuf[0] = 1\n\t\t\thandle(buf[:n])\n\t\t}()'));
  assert.is(writes.findings.length, 1);
  assert.is(writes.fixable[0], false);
});

test.run();
