/** Tests of ensureImport on every import layout, Go version rules, suppression and the planner. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyEdits } from '../src/edits.js';
import { buildConstraintVersion, fileGoVersion, goAtLeast, goModVersion, parseGoVersion } from '../src/goversion.js';
import { ensureImport, importName } from '../src/imports.js';
import { countSyntaxErrors, initParser, parseGo, withTree } from '../src/parse.js';
import { makeGoFile, planPackage } from '../src/plan.js';
import { decodeSource, encodeSource, readHeader } from '../src/source.js';
import { suppressed } from '../src/suppress.js';
import type { Transform } from '../src/types.js';

const test = suite('core');
test.before(async () => {
  await initParser();
});

function withImport(source: string, path: string): string {
  const tree = parseGo(source);
  try {
    const file = makeGoFile({ path: 'a.go', source, goVersion: undefined }, tree);
    const edit = ensureImport(file, path);
    const again = ensureImport(file, path);
    assert.equal(edit, again, 'ensureImport must be deterministic');
    return edit ? applyEdits(source, [edit]) : source;
  } finally {
    tree.delete();
  }
}

const importRows: [string, string, string, string][] = [
  ['no imports', 'package a\n\nfunc f() {}\n', 'slices', 'package a\n\nimport "slices"\n\nfunc f() {}\n'],
  ['package clause with a comment', 'package a // import "x/a"\n\nfunc f() {}\n', 'sync', 'package a // import "x/a"\n\nimport "sync"\n\nfunc f() {}\n'],
  ['single import becomes a group', 'package a\n\nimport "fmt"\n\nfunc f() {}\n', 'slices', 'package a\n\nimport (\n\t"fmt"\n\t"slices"\n)\n\nfunc f() {}\n'],
  ['single import sorts before', 'package a\n\nimport "time"\n', 'sync', 'package a\n\nimport (\n\t"sync"\n\t"time"\n)\n'],
  ['single third-party import: the standard one gets a run of its own before it', 'package a\n\nimport "example.com/m/plugin"\n', 'sync', 'package a\n\nimport (\n\t"sync"\n\n\t"example.com/m/plugin"\n)\n'],
  ['single named import kept', 'package a\n\nimport f "fmt"\n', 'slices', 'package a\n\nimport (\n\tf "fmt"\n\t"slices"\n)\n'],
  ['single import with a trailing comment stays', 'package a\n\nimport "fmt" // why\n', 'slices', 'package a\n\nimport "fmt" // why\n\nimport "slices"\n'],
  ['grouped, sorted position', 'package a\n\nimport (\n\t"fmt"\n\t"os"\n\t"time"\n)\n', 'sync', 'package a\n\nimport (\n\t"fmt"\n\t"os"\n\t"sync"\n\t"time"\n)\n'],
  ['grouped, first position', 'package a\n\nimport (\n\t"os"\n)\n', 'bytes', 'package a\n\nimport (\n\t"bytes"\n\t"os"\n)\n'],
  ['grouped, std run before third-party run', 'package a\n\nimport (\n\t"fmt"\n\n\t"example.com/z"\n)\n', 'sync', 'package a\n\nimport (\n\t"fmt"\n\t"sync"\n\n\t"example.com/z"\n)\n'],
  ['grouped, third-party only', 'package a\n\nimport (\n\t"example.com/z"\n)\n', 'sync', 'package a\n\nimport (\n\t"sync"\n\n\t"example.com/z"\n)\n'],
  ['grouped, doc comment on first spec stays attached', 'package a\n\nimport (\n\t// for printing\n\t"fmt"\n)\n', "bufio", 'package a\n\nimport (\n\t"bufio"\n\t// for printing\n\t"fmt"\n)\n'],
  ['already imported', 'package a\n\nimport (\n\t"slices"\n)\n', 'slices', 'package a\n\nimport (\n\t"slices"\n)\n'],
  ['blank import does not count', 'package a\n\nimport _ "sync"\n', 'sync', 'package a\n\nimport (\n\t"sync"\n\t_ "sync"\n)\n'],
  ['blank import alone', 'package a\n\nimport _ "strings"\n', 'strings', 'package a\n\nimport (\n\t"strings"\n\t_ "strings"\n)\n'],
  ['code after the import on its line', 'package a\n\nimport "fmt"; var _ = fmt.Sprint\n', 'sync', 'package a\n\nimport "fmt"\n\nimport "sync"; var _ = fmt.Sprint\n'],
  ['import "C" and its preamble untouched', 'package a\n\n// #include <stdio.h>\nimport "C"\n\nfunc f() {}\n', 'sync', 'package a\n\n// #include <stdio.h>\nimport "C"\n\nimport "sync"\n\nfunc f() {}\n'],
  ['import "C" beside a group', 'package a\n\n// #include <stdio.h>\nimport "C"\n\nimport (\n\t"fmt"\n)\n', 'sync', 'package a\n\n// #include <stdio.h>\nimport "C"\n\nimport (\n\t"fmt"\n\t"sync"\n)\n'],
];

for (const [label, input, path, want] of importRows) {
  test(`ensureImport: ${label}`, () => {
    const got = withImport(input, path);
    assert.fixture(got, want);
    assert.is(withTree(got, (t) => countSyntaxErrors(t.rootNode)), 0);
  });
}

test('importName: default, alias, blank, x/exp', () => {
  const source = 'package a\n\nimport (\n\tfoo "sync"\n\t_ "embed"\n\t"golang.org/x/exp/slices"\n\t"example.com/m/v2"\n)\n';
  const tree = parseGo(source);
  const file = makeGoFile({ path: 'a.go', source, goVersion: undefined }, tree);
  assert.is(importName(file, 'sync'), 'foo');
  assert.is(importName(file, 'embed'), undefined);
  assert.is(importName(file, 'golang.org/x/exp/slices'), 'slices');
  assert.is(importName(file, 'example.com/m/v2'), 'm');
  assert.is(importName(file, 'fmt'), undefined);
  tree.delete();
});

test('Go versions: go.mod lines, build constraints, gating', () => {
  assert.equal(parseGoVersion('1.21rc1'), { major: 1, minor: 21 });
  assert.equal(parseGoVersion('go1.22.3'), { major: 1, minor: 22 });
  assert.is(parseGoVersion('banana'), undefined);
  assert.equal(goModVersion('module x\n\ngo 1.21.0\n\ntoolchain go1.23.1\n'), { major: 1, minor: 21 });
  assert.equal(goModVersion('module x\n'), { major: 1, minor: 16 });
  assert.equal(buildConstraintVersion('//go:build go1.21 && linux\n\npackage a\n'), { major: 1, minor: 21 });
  assert.is(buildConstraintVersion('//go:build go1.21 || windows\n\npackage a\n'), undefined);
  assert.is(buildConstraintVersion('package a\n\n//go:build go1.21\n'), undefined);
  const v119 = { major: 1, minor: 19 };
  assert.equal(fileGoVersion(v119, '//go:build go1.21\n\npackage a\n'), { major: 1, minor: 21 });
  assert.equal(fileGoVersion(v119, '//go:build go1.20\n\npackage a\n'), v119, 'below 1.21 a build line does not raise');
  assert.equal(fileGoVersion({ major: 1, minor: 22 }, '//go:build go1.21\n\npackage a\n'), { major: 1, minor: 21 }, 'from 1.21 on, a build line sets the version, lower too');
  assert.ok(goAtLeast({ major: 1, minor: 21 }, '1.21'));
  assert.not.ok(goAtLeast(undefined, '1.21'), 'unknown is conservative');
});

test('suppression: same line, line above, named transforms, reasons', () => {
  const src = 'a\nb //gomend:ignore\n//gomend:ignore x-y, z\nc\n// gomend:ignore other\nd\ne //gomend:ignore\nf\n//gomend:ignore: never reused\ng\n';
  const at = (line: string) => src.indexOf(`\n${line}`) + 1;
  const known = ['x-y', 'z', 'other', 'any'];
  assert.ok(suppressed(src, at('b'), 'any', known));
  assert.ok(suppressed(src, at('c'), 'x-y', known));
  assert.ok(suppressed(src, at('c'), 'z', known), 'a space after the comma still names z');
  assert.not.ok(suppressed(src, at('d'), 'x-y', known));
  assert.ok(suppressed(src, at('d'), 'other', known));
  assert.not.ok(suppressed(src, 0, 'x', known));
  assert.not.ok(suppressed(src, at('f'), 'any', known), 'a trailing directive covers its own line only');
  assert.ok(suppressed(src, at('g'), 'any', known), 'a directive with only a reason silences all');
});

test('source: BOM and CRLF round-trip, binary and invalid UTF-8 refused', () => {
  const crlf = Buffer.from('\uFEFFpackage a\r\n\r\nvar x = "é"\r\n', 'utf8');
  const d = decodeSource(crlf);
  assert.ok(d.ok);
  if (!d.ok) return;
  assert.is(d.value.text, 'package a\n\nvar x = "é"\n');
  assert.ok(d.value.bom && d.value.crlf);
  assert.ok(encodeSource(d.value.text, d.value).equals(crlf));
  const mixed = decodeSource(Buffer.from('package a\r\nvar x = 1\n'));
  assert.ok(mixed.ok && !mixed.value.crlf && mixed.value.text.includes('\r\n'));
  assert.not.ok(decodeSource(Buffer.from([0x70, 0x00, 0x61])).ok);
  assert.not.ok(decodeSource(Buffer.from([0x70, 0xff, 0xfe])).ok);
});

test('readHeader: package name behind comments, generated marker', () => {
  assert.equal(readHeader('// Copyright\n/* x */\npackage foo // c\n'), { packageName: 'foo', generated: false });
  assert.equal(readHeader('// Code generated by stringer; DO NOT EDIT.\n\npackage foo\n'), { packageName: 'foo', generated: true });
  assert.equal(readHeader('package foo\n\n// Code generated by x; DO NOT EDIT.\n'), { packageName: 'foo', generated: false });
  assert.equal(readHeader(''), { packageName: undefined, generated: false });
});

/** A transform for planner tests: replaces every identifier `old` with `new_`, importing sync. */
const renamer: Transform = {
  name: 'renamer',
  description: 'test transform',
  run(file, ctx) {
    const out = [];
    for (const id of file.root.descendantsOfType('identifier')) {
      if (!id || id.text !== 'old') continue;
      const imp = ctx.ensureImport(file, 'sync');
      out.push({ start: id.startIndex, end: id.endIndex, message: 'old name', fix: { message: 'Rename', edits: [{ start: id.startIndex, end: id.endIndex, text: 'new_' }, ...(imp ? [imp] : [])] } });
    }
    return out;
  },
};

test('planPackage: fixes sharing an import coalesce; second run is idle', () => {
  const src = 'package a\n\nfunc f() { old := 1; _ = old }\n';
  const plan = planPackage([{ path: 'a.go', source: src, goVersion: undefined }], [renamer]);
  assert.is(plan.outputs.get('a.go'), 'package a\n\nimport "sync"\n\nfunc f() { new_ := 1; _ = new_ }\n');
  assert.is(plan.applied, 2);
  const again = planPackage([{ path: 'a.go', source: plan.outputs.get('a.go')!, goVersion: undefined }], [renamer]);
  assert.is(again.applied, 0);
});

test('planPackage: a fix that breaks the syntax is dropped, the rest applies', () => {
  const breaker: Transform = {
    name: 'breaker',
    description: 'test transform',
    run(file) {
      const fn = file.root.descendantsOfType('function_declaration')[0]!;
      return [
        { start: fn.startIndex, end: fn.startIndex, message: 'bad', fix: { message: 'Break', edits: [{ start: fn.startIndex, end: fn.startIndex, text: 'func (' }] } },
        { start: 0, end: 0, message: 'good', fix: { message: 'Comment', edits: [{ start: 0, end: 0, text: '// ok\n' }] } },
      ];
    },
  };
  const src = 'package a\n\nfunc f() {}\n';
  const plan = planPackage([{ path: 'a.go', source: src, goVersion: undefined }], [breaker], { maxPasses: 1 });
  assert.is(plan.outputs.get('a.go'), '// ok\npackage a\n\nfunc f() {}\n');
  assert.equal(plan.dropped.map((d) => d.reason), ['the result did not parse']);
});

test('planPackage: read-only (generated) files are never edited, cross-file fixes stay atomic', () => {
  const cross: Transform = {
    name: 'cross',
    description: 'test transform',
    run(file, ctx) {
      if (file.path !== 'a.go') return [];
      const other = ctx.pkg.files.find((f) => f.path === 'gen.go')!;
      return [{ start: 0, end: 0, message: 'x', fix: { message: 'Touch both', edits: [{ start: 0, end: 0, text: '// a\n' }, { start: 0, end: 0, text: '// gen\n', file: other.path }] } }];
    },
  };
  const plan = planPackage(
    [
      { path: 'a.go', source: 'package a\n', goVersion: undefined },
      { path: 'gen.go', source: 'package a\n', goVersion: undefined, readOnly: true },
    ],
    [cross],
  );
  assert.is(plan.outputs.size, 0);
  assert.is(plan.dropped.length, 1);
});

test('planPackage: minGoVersion strips fixes below it and says why', () => {
  const gated: Transform = { ...renamer, name: 'gated', minGoVersion: '1.21' };
  const src = 'package a\n\nvar old = 1\n';
  const low = planPackage([{ path: 'a.go', source: src, goVersion: { major: 1, minor: 19 } }], [gated]);
  assert.is(low.outputs.size, 0);
  assert.match(low.findings[0].message, /needs Go 1\.21, this file is Go 1\.19/);
  const high = planPackage([{ path: 'a.go', source: src, goVersion: { major: 1, minor: 21 } }], [gated]);
  assert.is(high.outputs.size, 1);
});

test.run();
