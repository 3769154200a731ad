/**
 * Unit tests of loopvar-capture and pool-escape for what fixture modules cannot show: a file of
 * unknown Go version, and forms the fixtures do not spell out one by one.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initParser } from '../src/parse.js';
import { planPackage } from '../src/plan.js';
import type { GoVersion } from '../src/types.js';
import { loopvarCapture } from '../transforms/loopvar-capture/index.js';
import { poolEscape } from '../transforms/pool-escape/index.js';

const test = suite('reuse-transforms');

test.before(async () => {
  await initParser();
});

function run(source: string, goVersion: GoVersion | undefined, t = loopvarCapture): { out: string; findings: string[]; fixable: boolean[] } {
  const plan = planPackage([{ path: 'a.go', source, goVersion }], [t]);
  return { out: plan.outputs.get('a.go') ?? source, findings: plan.findings.map((f) => f.message), fixable: plan.findings.map((f) => f.fixable) };
}

const spawn = `package p

func run(xs []int, f func(int)) {
	for _, x := range xs {
		go func() { f(x) }()
		f(0)
	}
}
`;

test('loopvar-capture: an unknown version is reported without a fix', () => {
  const r = run(spawn, undefined);
  assert.is(r.out, spawn);
  assert.is(r.findings.length, 1);
  assert.is(r.fixable[0], false);
  assert.match(r.findings[0], /version is unknown/);
});

test('loopvar-capture: Go 1.22 and later are never touched', () => {
  assert.equal(run(spawn, { major: 1, minor: 22 }).findings, []);
  assert.equal(run(spawn, { major: 1, minor: 30 }).findings, []);
});

test('loopvar-capture: a one-line body gets the copy on its own line', () => {
  const src = spawn.replace('{\n\t\tgo func() { f(x) }()\n\t\tf(0)\n\t}', '{ go func() { f(x) }(); f(0) }');
  const r = run(src, { major: 1, minor: 21 });
  assert.match(r.out, /range xs \{\n\t\tx := x\n/);
});

test('loopvar-capture: a pointer method started with go reads the loop variable', () => {
  const src = `package p

type S struct{ n int }

func (s *S) Serve() {}

func all(ss []S) {
	for _, s := range ss {
		go s.Serve()
		_ = s
	}
}
`;
  const r = run(src, { major: 1, minor: 20 });
  assert.match(r.out, /range ss \{\n\t\ts := s\n/);
});

test('pool-escape: a view stored in a field after Put is cloned', () => {
  const src = `package p

import (
	"bytes"
	"sync"
)

var pool sync.Pool

type T struct{ data []byte }

func (t *T) fill(s string) {
	b := pool.Get().(*bytes.Buffer)
	b.Reset()
	b.WriteString(s)
	t.data = b.Bytes()
	pool.Put(b)
}
`;
  const r = run(src, { major: 1, minor: 21 }, poolEscape);
  assert.match(r.out, /t\.data = bytes\.Clone\(b\.Bytes\(\)\)/);
});

test('pool-escape: a subslice of a view returned with a deferred Put, and a send after Put', () => {
  const src = `package p

import (
	"bytes"
	"encoding/json"
	"sync"
)

var pool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func encode(v any, n int) ([]byte, error) {
	b := pool.Get().(*bytes.Buffer)
	b.Reset()
	defer pool.Put(b)
	if err := json.NewEncoder(b).Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes()[:n], nil
}

var raw = sync.Pool{New: func() any { return make([]byte, 0, 64) }}

func send(ch chan<- []byte, s string) {
	b := raw.Get().([]byte)[:0]
	b = append(b, s...)
	ch <- b[:len(s)]
	raw.Put(b)
}
`;
  const r = run(src, { major: 1, minor: 19 }, poolEscape);
  assert.match(r.out, /return append\(\[\]byte\(nil\), b\.Bytes\(\)\.\.\.\)\[:n\], nil/);
  assert.match(r.out, /ch <- append\(\[\]byte\(nil\), b\[:len\(s\)\]\.\.\.\)/);
});

test('loopvar-capture: parallel subtests need a copy unless the subtest copies before t.Parallel()', () => {
  const src = `package p

import "testing"

func TestAll(t *testing.T) {
	for _, tc := range []string{"a", "b"} {
		t.Run(tc, func(t *testing.T) {
			t.Parallel()
			_ = tc
		})
	}
	for _, tc := range []string{"a", "b"} {
		t.Run(tc, func(t *testing.T) {
			tc := tc
			t.Parallel()
			_ = tc
		})
	}
}
`;
  const r = run(src, { major: 1, minor: 21 });
  assert.is(r.findings.length, 1);
  assert.is(r.out.split('tc := tc').length - 1, 2);
});

test.run();
