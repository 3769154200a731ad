/**
 * Reliability: gomend must never leave a file broken, half written or changed where it should not
 * be, whatever it is fed. These tests run the real CLI (`node bin/gomend.js`) on temporary modules
 * full of awkward inputs — CRLF, byte-order marks, invalid UTF-8, empty and binary files, a
 * directory named x.go, link loops, unreadable files, a 5 MB file with thousands of fixes, syntax
 * errors — and check bytes, messages and exit codes (3 when a file could not be processed, 0 when
 * there is simply nothing to do). They interrupt `--write` with SIGINT and SIGTERM, change a file
 * between reading and writing, make verification fail in one file, and rewrite a real module with
 * dependencies that must still build and vet.
 *
 * Rewrites come from test/data/reliability/mark-go.mjs (a comment line above every `go` and
 * `defer` statement: many small fixes that compile) and probe.mjs (good and bad fixes on purpose),
 * so the tests do not depend on what the built-in transforms find.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { SpawnSyncOptions } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runDriver } from '../src/driver.js';
import type { FileResult } from '../src/driver.js';
import { countSyntaxErrors, initParser, parseGo } from '../src/parse.js';
import { decodeSource } from '../src/source.js';
import type { Transform } from '../src/types.js';
import { writeAtomic, writeChanges } from '../src/writer.js';
import { transforms as builtins } from '../transforms/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'gomend.js');
const data = path.join(root, 'test', 'data', 'reliability');
const markGo = path.join(data, 'mark-go.mjs');
const probe = path.join(data, 'probe.mjs');
const renameShared = path.join(data, 'rename-shared.mjs');
const MARK = '// gomend: marked';
const hasGo = spawnSync('go', ['version']).status === 0;
const gofmtBin = spawnSync('gofmt', ['-l'], { input: '' }).status === 0 ? 'gofmt' : undefined;

const test = suite('reliability');
const temps: string[] = [];

test.before(async () => {
  await initParser();
});

test.after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

// GOMEND_TEST_TIMES=1 prints how long each test takes, to keep the suite within its budget.
let began = 0;
test.before.each(() => {
  began = performance.now();
});
test.after.each((ctx) => {
  if (process.env.GOMEND_TEST_TIMES) console.log(`  ${((performance.now() - began) / 1000).toFixed(1)} s  ${(ctx as { __test__?: string }).__test__}`);
});

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete e.FORCE_COLOR;
  return e;
}

/** Runs the CLI. Paths come first: `--transform=` takes one value, so nothing is swallowed. */
function gomend(args: string[], options: SpawnSyncOptions & { extraEnv?: Record<string, string> } = {}): Ran {
  const started = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 300_000, ...options, env: env(options.extraEnv) });
  return { code: r.status, signal: r.signal, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), seconds: (performance.now() - started) / 1000 };
}

/** A fresh module directory holding `files` (text or bytes), under a go.mod for Go 1.22. */
function module(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-rel-'));
  temps.push(dir);
  writeFileSync(path.join(dir, 'go.mod'), 'module example.com/rel\n\ngo 1.22\n');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** What mark-go makes of LF text: a comment line above each `go`/`defer` statement line. */
function marked(lf: string): string {
  return lf.replace(/^([ \t]*)(go|defer) /gm, `$1${MARK}\n$1$2 `);
}

const crlf = (s: string) => s.replace(/\n/g, '\r\n');
const read = (dir: string, name: string) => readFileSync(path.join(dir, name));
const readText = (dir: string, name: string) => readFileSync(path.join(dir, name), 'utf8');

/** Every leftover temporary file of the writer under `dir`. */
function temporaries(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (/^\..*\.gomend-.*\.tmp$/.test(e.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

function parsesCleanly(text: string): boolean {
  const tree = parseGo(text);
  try {
    return countSyntaxErrors(tree.rootNode) === 0;
  } finally {
    tree.delete();
  }
}

const ok = 'package rel\n\nfunc ok() {\n\tgo ok()\n}\n';

// ---------------------------------------------------------------------------------------------
// Bad inputs

test('CRLF line ends are kept, mixed line ends are left as they are', () => {
  const lf = 'package rel\n\n// Work runs f.\nfunc Work(f func()) {\n\tdefer f()\n\tgo f()\n}\n';
  const mixed = 'package rel\r\n\nfunc m() {\r\n\tgo m()\n}\n';
  const dir = module({ 'crlf.go': crlf(lf), 'mixed.go': mixed });
  const r = gomend([dir, `--transform=${markGo}`, '--write']);
  assert.is(r.code, 0, r.stderr);
  assert.is(readText(dir, 'crlf.go'), crlf(marked(lf)));
  assert.is(readText(dir, 'mixed.go'), 'package rel\r\n\nfunc m() {\r\n\t// gomend: marked\n\tgo m()\n}\n');
  assert.is(gomend([dir, `--transform=${markGo}`, '--check']).code, 0, 'a second run finds nothing');
});

test('a byte-order mark is kept, with LF and with CRLF', () => {
  const lf = 'package rel\n\nfunc b() {\n\tgo b()\n}\n';
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const dir = module({ 'bom.go': Buffer.concat([bom, Buffer.from(lf)]), 'bomcrlf.go': Buffer.concat([bom, Buffer.from(crlf(lf.replace(/b\(/g, 'c(')))]) });
  const r = gomend([dir, `--transform=${markGo}`, '--write']);
  assert.is(r.code, 0, r.stderr);
  assert.ok(read(dir, 'bom.go').equals(Buffer.concat([bom, Buffer.from(marked(lf))])));
  assert.ok(read(dir, 'bomcrlf.go').equals(Buffer.concat([bom, Buffer.from(crlf(marked(lf.replace(/b\(/g, 'c('))))])));
});

test('invalid UTF-8 and UTF-16 are skipped with where, never re-encoded; the rest goes on', () => {
  const latin1 = Buffer.concat([Buffer.from('package rel\n\n// caf'), Buffer.from([0xe9]), Buffer.from('\nfunc c() {\n\tgo c()\n}\n')]);
  const utf16 = Buffer.from('\uFEFFpackage rel\n', 'utf16le');
  const dir = module({ 'latin1.go': latin1, 'utf16.go': utf16, 'ok.go': ok });
  const r = gomend([dir, `--transform=${markGo}`, '--write']);
  assert.is(r.code, 3, 'a file that could not be processed gives exit code 3');
  assert.match(r.stderr, /latin1\.go:3:7: skipped: not valid UTF-8; not rewritten/);
  assert.match(r.stderr, /utf16\.go: skipped: UTF-16 text/);
  assert.ok(read(dir, 'latin1.go').equals(latin1), 'latin1.go was rewritten');
  assert.ok(read(dir, 'utf16.go').equals(utf16), 'utf16.go was rewritten');
  assert.is(readText(dir, 'ok.go'), marked(ok), 'the valid file of the package is still fixed');
});

test('decodeSource: where invalid UTF-8 starts, for every kind of bad sequence', () => {
  const cases: [number[], [number, number]][] = [
    [[0x61, 0x0a, 0x62, 0xff], [2, 2]], // not a lead byte
    [[0x61, 0xc3], [1, 2]], // truncated
    [[0xc0, 0xaf], [1, 1]], // overlong
    [[0x61, 0xed, 0xa0, 0x80], [1, 2]], // surrogate
    [[0xf4, 0x90, 0x80, 0x80], [1, 1]], // past U+10FFFF
    [[0xe2, 0x82, 0x61], [1, 1]], // missing continuation
  ];
  for (const [bytes, where] of cases) {
    const d = decodeSource(Buffer.from(bytes));
    assert.not.ok(d.ok, `${bytes} decoded`);
    if (!d.ok) assert.equal([d.line, d.column], where, `${bytes}: ${d.reason}`);
  }
  const good = decodeSource(Buffer.from('package a // 🎉 ü 日本\n'));
  assert.ok(good.ok);
});

test('empty, comment-only and binary files named .go: skipped with a reason, untouched', () => {
  const binary = Buffer.from([0x70, 0x61, 0x63, 0x6b, 0x00, 0x01, 0xff, 0x0a]);
  const dir = module({ 'empty.go': '', 'blank.go': '\n\n  \n', 'nopkg.go': '// just a comment\n', 'binary.go': binary, 'ok.go': ok });
  const r = gomend([dir, `--transform=${markGo}`, '--write']);
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, /empty\.go: skipped: empty file/);
  assert.match(r.stderr, /blank\.go: skipped: empty file/);
  assert.match(r.stderr, /nopkg\.go: skipped: no package clause/);
  assert.match(r.stderr, /binary\.go:1:5: skipped: binary file \(a NUL byte\)/);
  assert.is(readText(dir, 'empty.go'), '');
  assert.is(readText(dir, 'nopkg.go'), '// just a comment\n');
  assert.ok(read(dir, 'binary.go').equals(binary));
  assert.is(readText(dir, 'ok.go'), marked(ok));
});

test('a directory named x.go is walked, not read; an empty one is nothing to do', () => {
  const inner = 'package inner\n\nfunc i() {\n\tdefer i()\n}\n';
  const dir = module({ 'x.go/inner.go': inner });
  mkdirSync(path.join(dir, 'y.go'));
  const r = gomend([dir, `--transform=${markGo}`, '--write']);
  assert.is(r.code, 0, r.stderr);
  assert.is(readText(dir, 'x.go/inner.go'), marked(inner));
  const named = gomend([path.join(dir, 'y.go'), path.join(dir, 'x.go'), `--transform=${markGo}`, '--check']);
  assert.is(named.code, 0, named.stderr);
  assert.match(named.stderr, /1 file scanned, 0 would change/);
});

test('symbolic links: loops never hang, a broken link is named, a link to a file is written through', () => {
  const real = 'package rel\n\nfunc shared() {\n\tgo shared()\n}\n';
  const dir = module({ 'ok.go': ok, 'sub/sub.go': 'package sub\n', 'elsewhere/real.txt': real });
  symlinkSync('..', path.join(dir, 'sub', 'up')); // a directory loop
  symlinkSync('.', path.join(dir, 'sub', 'self'));
  symlinkSync('elsewhere/real.txt', path.join(dir, 'linked.go'));
  // Directory loops alone: nothing to report, nothing to do.
  const calm = gomend([path.join(dir, 'sub'), `--transform=${markGo}`, '--check']);
  assert.is(calm.code, 0, calm.stderr);

  symlinkSync('loopb.go', path.join(dir, 'loopa.go'));
  symlinkSync('loopa.go', path.join(dir, 'loopb.go'));
  symlinkSync('nothere.txt', path.join(dir, 'gone.go'));
  const r = gomend([dir, `--transform=${markGo}`, '--write']);
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, /loopa\.go: error: symbolic link loop/);
  assert.match(r.stderr, /gone\.go: error: symbolic link to a missing file \(nothere\.txt\)/);
  assert.ok(lstatSync(path.join(dir, 'linked.go')).isSymbolicLink(), 'the link was replaced by a file');
  assert.is(readText(dir, 'elsewhere/real.txt'), marked(real), 'the link target was not written');
  assert.is(readText(dir, 'ok.go'), marked(ok));

  const named = gomend([path.join(dir, 'loopa.go'), `--transform=${markGo}`]);
  assert.is(named.code, 3);
  assert.match(named.stderr, /loopa\.go: error: symbolic link loop/);
});

/**
 * Unreadable files. chmod 000 stops nobody running as root, so as root the CLI runs as the
 * unprivileged user `nobody` instead; where that is not possible the test says so and skips.
 */
test('unreadable files and unwritable directories: named, exit 3, nothing half done', () => {
  const dir = module({ 'ok.go': ok, 'unread.go': 'package rel\n\nfunc u() {\n\tgo u()\n}\n' });
  const asRoot = process.getuid?.() === 0;
  const uidOptions = asRoot ? { uid: 65534, gid: 65534 } : {};
  if (asRoot && spawnSync(process.execPath, ['-e', ''], uidOptions).status !== 0) {
    console.log('  skipped the unreadable-file check: running as root and cannot run as nobody (chmod 000 does not stop root)');
    return;
  }
  chmodSync(dir, 0o755);
  chmodSync(path.join(dir, 'ok.go'), 0o644);
  chmodSync(path.join(dir, 'unread.go'), 0o000);
  const r = gomend([dir, `--transform=${markGo}`], { ...uidOptions, cwd: os.tmpdir() });
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, /unread\.go: error: cannot read: permission denied/);
  assert.match(r.stdout, /\+\t\/\/ gomend: marked/, 'the readable file is still fixed');

  // --write into a directory gomend may not create files in: refused per file, nothing changed.
  chmodSync(path.join(dir, 'unread.go'), 0o644);
  if (!asRoot) chmodSync(dir, 0o555);
  const w = gomend([dir, `--transform=${markGo}`, '--write'], { ...uidOptions, cwd: os.tmpdir() });
  chmodSync(dir, 0o755);
  assert.is(w.code, 3, w.stderr);
  assert.match(w.stderr, /ok\.go: error: cannot write: cannot create a temporary file in .*: permission denied; file left as it was/);
  assert.is(readText(dir, 'ok.go'), ok);
  assert.equal(temporaries(dir), []);
});

test('non-ASCII text (astral characters, combining marks) before an edit', () => {
  const src = [
    'package rel',
    '',
    '// Grüße 👋🏽 — e\u0301 日本語 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
    'var ñame = "🎉🎉🎉"',
    '',
    'func f() {',
    '\ts := "𝄞 music" // 🎼',
    '\t_ = s',
    '\tgo f() // 🎉',
    '\t/* 🎉 */ go f()',
    '}',
    '',
  ].join('\n');
  const dir = module({ 'u.go': src });
  const r = gomend([dir, `--transform=${markGo}`, '--write', '--format=json']);
  assert.is(r.code, 0, r.stderr);
  assert.is(readText(dir, 'u.go'), src.replace('\tgo f() // 🎉', `\t${MARK}\n\tgo f() // 🎉`));
  const report = JSON.parse(r.stdout) as { files: { findings: { line: number; column: number; message: string }[] }[] };
  const shared = report.files.flatMap((f) => f.findings).find((x) => /shares its line/.test(x.message));
  assert.ok(shared, 'the statement sharing its line is reported');
  // Columns count UTF-8 bytes, as Go tools do: tab, "/* ", 🎉 (4 bytes), " */ ".
  assert.equal([shared!.line, shared!.column], [10, 13]);
});

test('syntax errors: an error at path:line:col, untouched; the rest goes on', () => {
  const broken = 'package rel\n\nfunc b() {\n\tgo b()\n\tx := [1, 2\n}\n';
  const dir = module({ 'broken.go': broken, 'ok.go': ok });
  const r = gomend([dir, `--transform=${markGo}`, '--write']);
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, /broken\.go:[56]:\d+: error: .*; not rewritten/);
  assert.is(readText(dir, 'broken.go'), broken);
  assert.is(readText(dir, 'ok.go'), marked(ok));
});

test('a 5 MB file with thousands of fixes: exact, idempotent', () => {
  // Non-ASCII text sits before every edit, so offsets in UTF-16 units and bytes differ throughout.
  let src = 'package big\n\n// Größe: 日本語 — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 before every edit\n\nfunc work(int) {}\n';
  let fns = 0;
  while (Buffer.byteLength(src) < 5_000_000) {
    let body = '';
    for (let k = 0; k < 50; k++) body += `\tx${k} := n * ${k} // ünïcödé ⌘ ${k}\n\twork(x${k})\n`;
    src += `\n// f${fns} does 🎉 work.\nfunc f${fns}(n int) {\n${body}\tgo work(n)\n}\n`;
    fns++;
  }
  const dir = module({ 'big.go': src });
  const r = gomend([dir, `--transform=${markGo}`, '--write']);
  console.log(`  5 MB file: ${fns} fixes written in ${r.seconds.toFixed(1)} s`);
  assert.is(r.code, 0, r.stderr);
  const out = readText(dir, 'big.go');
  assert.ok(out === marked(src), 'the result is not the expected bytes');
  if (gofmtBin) assert.is(spawnSync(gofmtBin, ['-l', path.join(dir, 'big.go')], { encoding: 'utf8' }).stdout, '', 'not gofmt-clean');
  else assert.ok(parsesCleanly(out));
  const again = gomend([dir, `--transform=${markGo}`, '--check', '--format=json']);
  assert.is(again.code, 0, again.stderr);
  console.log(`  5 MB file: the second run (nothing to do) took ${again.seconds.toFixed(1)} s`);
});

// ---------------------------------------------------------------------------------------------
// Verification and rollback

test('verification failure in one file rolls back that file only, and the run goes on', () => {
  const body = (marker: string) => `package rel\n\n${marker}\nfunc f() int {\n\tx := 1\n\treturn x\n}\n`;
  const dir = module({
    'good.go': body('// probe: good').replace(/f\(/g, 'g('),
    'unformat.go': body('// probe: unformat').replace(/f\(/g, 'h('),
    'unparsable.go': body('// probe: unparsable').replace(/f\(/g, 'i('),
    'pair_a.go': body('// probe: pair pair_b.go').replace(/f\(/g, 'j('),
    'pair_b.go': body('// the other half of a two-file fix').replace(/f\(/g, 'k('),
  });
  const before = new Map(['unformat.go', 'unparsable.go', 'pair_a.go', 'pair_b.go'].map((f) => [f, readText(dir, f)]));
  const r = gomend([dir, `--transform=${probe}`, '--write']);
  assert.is(r.code, 3, r.stderr);
  assert.is(readText(dir, 'good.go'), body('// probe: good').replace(/f\(/g, 'g(').replace('\tx := 1', '\t// probe: done\n\tx := 1'));
  for (const [f, text] of before) assert.is(readText(dir, f), text, `${f} changed`);
  assert.match(r.stderr, /unformat\.go: error: verification failed \(probe\): the result is not gofmt-clean though the original was; file left unchanged/);
  assert.match(r.stderr, /pair_b\.go: error: verification failed \(probe\)/);
  assert.match(r.stderr, /unparsable\.go:5:2: probe: x is set to 1 \(fix not applied/);
  assert.match(r.stderr, /1 changed/);
});

test('a file named alone or a .gitignore\'d sibling: a fix that spans the package is not half applied', () => {
  const a = 'package rel\n\nvar shared = 1\n\nfunc A() int { return shared }\n';
  const b = 'package rel\n\nfunc B() int { return shared + 1 }\n';
  const dir = module({ 'a.go': a, 'b.go': b });
  const alone = gomend([path.join(dir, 'a.go'), `--transform=${renameShared}`, '--write']);
  assert.is(readText(dir, 'a.go'), a, `a.go was renamed without b.go: ${alone.stderr}`);
  assert.match(alone.stderr, /a\.go:3:5: rename-shared: shared is a vague name \(fix not applied/);
  writeFileSync(path.join(dir, '.gitignore'), 'b.go\n');
  const ignored = gomend([dir, `--transform=${renameShared}`, '--write']);
  assert.is(readText(dir, 'a.go'), a, `a.go was renamed without the ignored b.go: ${ignored.stderr}`);
  rmSync(path.join(dir, '.gitignore'));
  const whole = gomend([dir, `--transform=${renameShared}`, '--write']);
  assert.is(whole.code, 0, whole.stderr);
  assert.is(readText(dir, 'a.go'), a.replace(/shared/g, 'sharedValue'));
  assert.is(readText(dir, 'b.go'), b.replace(/shared/g, 'sharedValue'));
  if (hasGo) assert.is(spawnSync('go', ['build', './...'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } }).status, 0);
});

// ---------------------------------------------------------------------------------------------
// The writer

async function loadTransform(file: string): Promise<Transform> {
  return ((await import(pathToFileURL(file).href)) as { default: Transform }).default;
}

test('a file changed or removed on disk between read and write is not overwritten', async () => {
  const dir = module({ 'a.go': ok.replace(/ok/g, 'a'), 'b.go': ok.replace(/ok/g, 'b'), 'c.go': ok.replace(/ok/g, 'c') });
  const result = await runDriver({ paths: [dir], cwd: dir, transforms: [await loadTransform(markGo)], jobs: 1 });
  assert.is(result.files.filter((f) => f.status === 'changed').length, 3);
  const edited = ok.replace(/ok/g, 'a') + '\n// saved by an editor meanwhile\n';
  writeFileSync(path.join(dir, 'a.go'), edited);
  rmSync(path.join(dir, 'c.go'));
  const outcome = await writeChanges(result.files);
  assert.equal(outcome.written, ['b.go']);
  assert.equal(
    outcome.failed.map((f) => `${f.path}: ${f.reason}`),
    ['a.go: changed on disk since gomend read it; not written', 'c.go: cannot re-read before writing: it no longer exists; not written'],
  );
  assert.is(readText(dir, 'a.go'), edited);
  assert.not.ok(existsSync(path.join(dir, 'c.go')));
  assert.is(readText(dir, 'b.go'), marked(ok.replace(/ok/g, 'b')));
  assert.equal(temporaries(dir), []);
});

function changed(dir: string, name: string, after: string): FileResult {
  const abs = path.join(dir, name);
  const original = readFileSync(abs);
  return { path: name, absPath: abs, status: 'changed', findings: [], original, before: original.toString(), after, shape: { bom: false, crlf: false }, transforms: ['t'] };
}

test('writer: keeps the mode, writes through links once, refuses to split hard links', async () => {
  const dir = module({ 'a.go': 'package a\n', 'x.go': 'package a\n', 'h.go': 'package a\n' });
  chmodSync(path.join(dir, 'a.go'), 0o640);
  chmodSync(path.join(dir, 'x.go'), 0o755);
  symlinkSync('a.go', path.join(dir, 'link.go'));
  linkSync(path.join(dir, 'h.go'), path.join(dir, 'h2.go'));
  const outcome = await writeChanges([
    changed(dir, 'link.go', 'package a // via the link\n'),
    changed(dir, 'a.go', 'package a // again\n'),
    changed(dir, 'x.go', 'package a // x\n'),
    changed(dir, 'h.go', 'package a // h\n'),
  ]);
  assert.equal(outcome.written, ['link.go', 'x.go']);
  assert.equal(outcome.failed.map((f) => f.path), ['a.go', 'h.go']);
  assert.match(outcome.failed[0].reason, /same file as link\.go \(a link\), which was written already/);
  assert.match(outcome.failed[1].reason, /2 hard links and replacing it would split them/);
  assert.ok(lstatSync(path.join(dir, 'link.go')).isSymbolicLink());
  assert.is(readText(dir, 'a.go'), 'package a // via the link\n');
  assert.is(statSync(path.join(dir, 'a.go')).mode & 0o777, 0o640);
  assert.is(statSync(path.join(dir, 'x.go')).mode & 0o777, 0o755);
  assert.is(readText(dir, 'h.go'), 'package a\n');
  assert.throws(() => writeAtomic(path.join(dir, 'missing.go'), Buffer.from('x')));
  if (process.getuid?.() === 0) {
    // Root rewriting someone else's file must not make it root's.
    chownSync(path.join(dir, 'x.go'), 65534, 65534);
    writeAtomic(path.join(dir, 'x.go'), Buffer.from('package a // owned\n'));
    const st = statSync(path.join(dir, 'x.go'));
    assert.equal([st.uid, st.gid, st.mode & 0o777], [65534, 65534, 0o755]);
  }
  assert.equal(temporaries(dir), []);
});

// ---------------------------------------------------------------------------------------------
// Interrupts

/** A module of `dirs` × `perDir` small files, each with two fixes for mark-go. */
function manyFiles(dirs: number, perDir: number): { dir: string; files: string[]; source: (f: string) => string } {
  const dir = module();
  const files: string[] = [];
  const source = (f: string) => {
    const [pkg, name] = f.split('/');
    return `package ${pkg}\n\nfunc work(int) {}\n\nfunc ${name.replace('.go', '')}() {\n\tgo work(1)\n\tdefer work(2)\n}\n`;
  };
  for (let d = 0; d < dirs; d++) {
    mkdirSync(path.join(dir, `p${d}`));
    for (let i = 0; i < perDir; i++) {
      const f = `p${d}/f${i}.go`;
      files.push(f);
      writeFileSync(path.join(dir, f), source(f));
    }
  }
  return { dir, files, source };
}

/**
 * Runs `gomend --write` with `signal` raised by gomend itself right after its first file is written
 * (`GOMEND_RAISE_AFTER_FIRST_WRITE`), so the signal lands in the write phase however loaded the
 * machine is; resolves with the exit status and stderr.
 */
function interruptAfterFirstWrite(dir: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, dir, `--transform=${markGo}`, '--write'], { env: env({ GOMEND_GOFMT: 'none', GOMEND_RAISE_AFTER_FIRST_WRITE: signal }), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, sig) => resolve({ code, signal: sig, stderr }));
  });
}

/**
 * Starts `gomend --write` and sends `signal` 150 ms later, long before the write phase of four
 * directories of files (a slower machine only makes it earlier still); resolves with how it ended.
 */
function interruptEarly(dir: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, dir, `--transform=${markGo}`, '--write'], { env: env({ GOMEND_GOFMT: 'none' }), stdio: ['ignore', 'ignore', 'pipe'] });
    child.on('spawn', () => setTimeout(() => child.kill(signal), 150));
    child.on('error', reject);
    child.on('close', (code, sig) => resolve({ code, signal: sig }));
  });
}

for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${signal} during --write: whole files only, no temporary files, exit ${exitCode}`, async () => {
    const { dir, files, source } = manyFiles(8, 60);
    const r = await interruptAfterFirstWrite(dir, signal);
    assert.is(r.code, exitCode, `exit ${r.code} (signal ${r.signal}): ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`interrupted by ${signal}; \\d+ file\\(s\\) written, the rest untouched`));
    let written = 0;
    for (const f of files) {
      const now = readText(dir, f);
      if (now === marked(source(f))) written++;
      else assert.is(now, source(f), `${f} is neither old nor new`);
    }
    const reported = Number(/(\d+) file\(s\) written/.exec(r.stderr)?.[1]);
    assert.is(written, reported, 'the count of written files is wrong');
    assert.ok(written >= 1 && written < files.length, `${written} of ${files.length} written: the interrupt came too late to test anything`);
    assert.equal(temporaries(dir), []);
    console.log(`  ${signal}: ${written} of ${files.length} files written before stopping`);
  });
}

test('SIGINT before the write phase: nothing written', async () => {
  const { dir, files, source } = manyFiles(4, 40);
  const r = await interruptEarly(dir, 'SIGINT');
  assert.ok(r.code === 130 || r.signal === 'SIGINT', `exit ${r.code}, signal ${r.signal}`);
  for (const f of files) assert.is(readText(dir, f), source(f));
  assert.equal(temporaries(dir), []);
});

// ---------------------------------------------------------------------------------------------
// A real module with dependencies

/**
 * github.com/sourcegraph/conc: small, real, with dependencies (testify, multierr) and goroutines.
 * Fetched through the Go module proxy; offline, the test logs why and passes.
 */
test('a real module with dependencies still builds and vets after --write', () => {
  if (!hasGo) {
    console.log('  skipped the real-module check: no go command');
    return;
  }
  const goEnv = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
  const dl = spawnSync('go', ['mod', 'download', '-json', 'github.com/sourcegraph/conc@v0.3.0'], { encoding: 'utf8', timeout: 120_000, env: goEnv, cwd: os.tmpdir() });
  const info = dl.status === 0 ? (JSON.parse(dl.stdout) as { Dir?: string }) : {};
  if (!info.Dir) {
    console.log(`  skipped the real-module check: the module proxy is unreachable (${(dl.stderr || dl.error?.message || '').trim().split('\n')[0]})`);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-conc-'));
  temps.push(dir);
  cpSync(info.Dir, dir, { recursive: true });
  spawnSync('chmod', ['-R', 'u+w', dir]); // module cache files are read-only
  const buildAndVet = (when: string) => {
    for (const args of [['build', './...'], ['vet', './...']]) {
      const b = spawnSync('go', args, { cwd: dir, encoding: 'utf8', timeout: 300_000, env: goEnv });
      if (b.status !== 0 && when === 'before' && /dial|lookup|proxy|network|timeout/i.test(b.stderr)) return false;
      assert.is(b.status, 0, `go ${args.join(' ')} fails ${when} gomend: ${b.stderr}`);
    }
    return true;
  };
  if (!buildAndVet('before')) {
    console.log('  skipped the real-module check: dependencies cannot be downloaded');
    return;
  }
  const all = [...builtins.map((t) => t.name), markGo].join(',');
  const r = gomend([dir, `--transform=${all}`, '--write'], { cwd: dir });
  assert.is(r.code, 0, r.stderr);
  const changedCount = Number(/(\d+) changed/.exec(r.stderr)?.[1]);
  assert.ok(changedCount > 0, `nothing changed: ${r.stderr}`);
  buildAndVet('after');
  const again = gomend([dir, `--transform=${all}`, '--check'], { cwd: dir });
  assert.is(again.code, 0, `a second run still finds fixes: ${again.stdout}`);
  assert.equal(temporaries(dir), []);
  console.log(`  conc@v0.3.0: ${changedCount} files changed, go build and go vet pass`);
});

test.run();
