/**
 * CLI tests: run the real `bin/gomend.js` on temp copies of a module and check what a user sees —
 * diffs that `git apply` takes, exit codes, files left alone, the JSON shape, usage errors.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from './fixture-cases.js';

const test = suite('cli');
const bin = path.join(repoRoot, 'bin', 'gomend.js');
const data = path.join(repoRoot, 'test', 'data', 'cli');
const rename = path.join(data, 'rename-old.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function gomend(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function freshModule(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-cli-'));
  cpSync(path.join(data, 'mod'), dir, { recursive: true });
  return dir;
}

function snapshot(dir: string, files: string[]): Map<string, string> {
  return new Map(files.map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

const allFiles = ['main.go', 'sub/sub.go', 'gen.go', 'broken.go', 'vendor/example.com/v/v.go'];

test('dry run writes nothing and prints a diff git apply accepts', () => {
  const dir = freshModule();
  try {
    const before = snapshot(dir, allFiles);
    const r = gomend(dir, ['--transform', rename]);
    assert.equal(snapshot(dir, allFiles), before, 'the dry run changed a file');
    assert.match(r.stdout, /^diff -u a\/main\.go b\/main\.go\n--- a\/main\.go\n\+\+\+ b\/main\.go\n/m);
    assert.match(r.stdout, /\+\treturn renamed \* 2 \/\/ “doubled”/);
    assert.not.match(r.stdout, /\x1b\[/, 'no colour when not a terminal');
    spawnSync('git', ['init', '-q'], { cwd: dir });
    const check = spawnSync('git', ['apply', '--check', '-'], { cwd: dir, input: r.stdout, encoding: 'utf8' });
    assert.is(check.status, 0, `git apply --check rejected the diff: ${check.stderr}`);
    assert.match(r.stderr, /^broken\.go:3:\d+: error: syntax error: .*; not rewritten$/m);
    assert.match(r.stderr, /gomend: 4 files scanned, 2 would change/);
    // Each fix in the diff, with its reason, where editors jump to; counts per transform; the next step.
    assert.match(r.stderr, /^main\.go:6:2: rename-old: identifier named old \(fix: Rename it to renamed\)$/m);
    assert.match(r.stderr, /^gomend: rename-old: 4 fixes$/m);
    assert.match(r.stderr, /^gomend: run with --write to apply, or -i to choose\n$/m);
    assert.is(r.code, 3, 'a file that could not be parsed makes the exit code 3');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--check exits 1 with fixes pending, --write applies them, then --check exits 0', () => {
  const dir = freshModule();
  try {
    rmSync(path.join(dir, 'broken.go'));
    assert.is(gomend(dir, ['--check', '--transform', rename]).code, 1);
    const w = gomend(dir, ['--write', '--transform', rename]);
    assert.is(w.code, 0, w.stderr);
    assert.match(readFileSync(path.join(dir, 'main.go'), 'utf8'), /renamed := 1 \/\/ the value\n\tfmt\.Println\(renamed\)/);
    assert.match(readFileSync(path.join(dir, 'sub/sub.go'), 'utf8'), /func Kept\(old int\)/, 'the suppressed finding must stay');
    assert.match(readFileSync(path.join(dir, 'gen.go'), 'utf8'), /var old = 3/, 'generated files are never edited');
    assert.match(readFileSync(path.join(dir, 'vendor/example.com/v/v.go'), 'utf8'), /var old = 1/, 'vendor is skipped');
    const c = gomend(dir, ['--check', '--transform', rename]);
    assert.is(c.code, 0, c.stdout + c.stderr);
    assert.is(c.stdout, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--cache-dir: a warm run prints the same diff, and --write then --check sees the new text', () => {
  const dir = freshModule();
  try {
    rmSync(path.join(dir, 'broken.go'));
    const cache = path.join(dir, '.gomend-cache');
    const cold = gomend(dir, ['--cache-dir', cache, '--transform', rename]);
    assert.ok(existsSync(cache), 'the cache folder is made');
    const warm = gomend(dir, ['--cache-dir', cache, '--transform', rename]);
    assert.is(warm.code, cold.code);
    assert.is(warm.stdout, cold.stdout);
    assert.match(warm.stdout, /^diff -u a\/main\.go b\/main\.go$/m);
    assert.is(gomend(dir, ['--write', '--cache-dir', cache, '--transform', rename]).code, 0);
    const check = gomend(dir, ['--check', '--cache-dir', cache, '--transform', rename]);
    assert.is(check.code, 0, check.stdout + check.stderr);
    assert.is(gomend(dir, ['--cache', '--cache-dir', cache, '--bogus']).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--json has the documented shape', () => {
  const dir = freshModule();
  try {
    const r = gomend(dir, ['--json', '--transform', rename]);
    const doc = JSON.parse(r.stdout);
    assert.is(doc.version, 1);
    for (const k of ['files', 'changed', 'findings', 'fixes', 'skipped', 'errors']) assert.type(doc.summary[k], 'number', k);
    assert.is(doc.summary.files, 4);
    assert.is(doc.summary.changed, 2);
    const main = doc.files.find((f: { path: string }) => f.path === 'main.go');
    assert.is(main.status, 'changed');
    assert.equal(Object.keys(main.findings[0]).slice(0, 8), ['transform', 'line', 'column', 'endLine', 'endColumn', 'message', 'fixable', 'fix']);
    assert.equal([main.findings[0].line, main.findings[0].column], [6, 2]);
    const broken = doc.files.find((f: { path: string }) => f.path === 'broken.go');
    assert.is(broken.status, 'error');
    assert.is(broken.line, 3);
    assert.type(broken.column, 'number');
    assert.match(broken.reason, /^syntax error: /);
    assert.ok(doc.files.every((f: { status: string; findings: unknown[] }) => f.status !== 'unchanged' || f.findings.length > 0));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('valid Go that tree-sitter cannot read: checked outside that code, exit 0 or 1 as usual, a note where a finding was left unchecked', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-cli-go126-'));
  try {
    writeFileSync(path.join(dir, 'go.mod'), 'module example.com/n\n\ngo 1.26\n');
    const hazard = (name: string, extra: string) =>
      `func ${name}(items []int) int {\n\tpreview := items[:2]\n\tdone := make(chan int, 1)\n\tgo func() { done <- len(preview) }()\n${extra}\tfor i := range items {\n\t\titems[i] = 0\n\t}\n\treturn <-done\n}\n`;
    const src = `package n\n\n${hazard('Fixed', '')}\n${hazard('Unread', '\t_ = new(int32(4))\n')}`;
    writeFileSync(path.join(dir, 'n.go'), src);
    const r = gomend(dir, ['--check', '--transform', 'goroutine-subslice', '.']);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stdout, /^\+\tgo func\(preview \[\]int\)/m);
    assert.is(r.stdout.match(/^\+\tgo func/gm)?.length, 1, 'only the function gomend can read is fixed');
    assert.match(r.stderr, /^n\.go:17:\d+: note: gomend's parser cannot read this declaration, though it is valid Go; 1 finding there left unchecked$/m);
    assert.match(r.stderr, / 0 errors/);
    const w = gomend(dir, ['--write', '--transform', 'goroutine-subslice', '.']);
    assert.is(w.code, 0, w.stderr);
    assert.ok(readFileSync(path.join(dir, 'n.go'), 'utf8').includes('\t_ = new(int32(4))\n\tfor i'), 'the unreadable function is untouched');
    assert.is(gomend(dir, ['--check', '--transform', 'goroutine-subslice', '.']).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--explain lists candidates that do not qualify; without it they are silent', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-cli-explain-'));
  try {
    writeFileSync(path.join(dir, 'go.mod'), 'module example.com/e\n\ngo 1.22\n');
    writeFileSync(path.join(dir, 'e.go'), 'package e\n\n// Cache is part of the API.\nvar Cache = map[string]any{}\n\nfunc Set() {\n\tCache["n"] = 1\n\tCache["s"] = "x"\n}\n\nfunc N() int { return Cache["n"].(int) }\n');
    const quiet = gomend(dir, ['--transform', 'any-map-split', '.']);
    assert.is(quiet.code, 0, quiet.stderr);
    assert.is(quiet.stdout, '');
    assert.not.match(quiet.stderr, /e\.go:/);
    assert.match(quiet.stderr, / 0 findings/);
    assert.is(JSON.parse(gomend(dir, ['--json', '--transform', 'any-map-split', '.']).stdout).summary.findings, 0);
    const explained = gomend(dir, ['--explain', '--transform', 'any-map-split', '.']);
    assert.is(explained.code, 0, explained.stderr);
    assert.match(explained.stderr, /^e\.go:4:5: any-map-split: note: Cache \(map\[string\]any\) is not split into typed maps: it is exported$/m);
    const json = JSON.parse(gomend(dir, ['--explain', '--json', '--transform', 'any-map-split', '.']).stdout);
    assert.is(json.files[0].findings[0].note, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--version; usage errors for -j abc and a bare --format; a warning and exit 0 for a path with no Go files', () => {
  const version = gomend(repoRoot, ['--version']);
  assert.is(version.code, 0);
  assert.is(version.stdout, `${JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version}\n`);
  for (const [args, message] of [
    [['-j', 'abc', '.'], /^gomend: --jobs "abc": expected a whole number of at least 1$/m],
    [['-j', '0', '.'], /--jobs "0": expected a whole number/],
    [['.', '-j'], /^gomend: --jobs needs a value$/m],
    [['.', '--format'], /^gomend: --format needs a value$/m],
  ] as const) {
    const r = gomend(repoRoot, [...args]);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.is(r.stdout, '');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-cli-nogo-'));
  try {
    mkdirSync(path.join(dir, 'docs'));
    writeFileSync(path.join(dir, 'docs', 'README.md'), '# nothing to see\n');
    const r = gomend(dir, ['docs']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /^gomend: warning: no Go files in docs$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--help wraps descriptions between words', () => {
  const r = gomend(repoRoot, ['--help']);
  assert.is(r.code, 0);
  // Join each description's continuation lines back on a space: every phrase must then read whole.
  const joined = r.stdout.replace(/\n {16,}(?=\S)/g, ' ').replace(/ +/g, ' ');
  for (const phrase of ['paths to modules; repeatable; default all', 'unchanged since the last cached run', '$XDG_CACHE_HOME/gomend or ~/.cache/gomend); implies --cache']) {
    assert.ok(joined.includes(phrase), `--help breaks "${phrase}":\n${r.stdout}`);
  }
});

test('usage errors exit 2 and say what is wrong', () => {
  const dir = freshModule();
  try {
    const rows: [string[], RegExp][] = [
      [['--no-such-flag'], /Unknown argument|no-such-flag/],
      [['does/not/exist'], /does\/not\/exist: no such file or directory/],
      [['--go', 'banana'], /--go banana/],
      [['--transform', 'no-such-transform'], /unknown transform "no-such-transform"/],
      [['--transform', './missing.mjs'], /no such file/],
      [['--write', '--check'], /mutually exclusive/],
      [['--format', 'xml'], /Invalid values|Choices/],
      [['--go', '1.22abc'], /--go 1\.22abc/],
      [['--transform', ''], /--transform needs a name or a path/],
      [['--json', '--format', 'sarif'], /two formats/],
    ];
    for (const [args, message] of rows) {
      const r = gomend(dir, args);
      assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that fails verification is left as it was; the others are written', () => {
  const dir = freshModule();
  try {
    rmSync(path.join(dir, 'broken.go'));
    writeFileSync(path.join(dir, 'misformat.go'), 'package main\n\nfunc other() {}\n');
    const before = readFileSync(path.join(dir, 'misformat.go'), 'utf8');
    const r = gomend(dir, ['--write', '--transform', path.join(data, 'misformat.mjs')]);
    assert.is(r.code, 3);
    assert.match(r.stderr, /misformat\.go: error: verification failed \(misformat\): the result is not gofmt-clean/);
    assert.is(readFileSync(path.join(dir, 'misformat.go'), 'utf8'), before);
    assert.match(readFileSync(path.join(dir, 'main.go'), 'utf8'), /^var fine = 1$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--list prints every transform with its description', () => {
  const r = gomend(repoRoot, ['--list']);
  assert.is(r.code, 0);
  for (const name of ['goroutine-subslice', 'any-map-split', 'map-clone', 'map-rwmutex', 'map-value-append']) assert.match(r.stdout, new RegExp(`^${name} +\\S`, 'm'));
});

test('FORCE_COLOR colours the diff even in a pipe; NO_COLOR alone does not', () => {
  const dir = freshModule();
  try {
    const forced = gomend(dir, ['--transform', rename], { FORCE_COLOR: '1', NO_COLOR: '' });
    assert.match(forced.stdout, /\x1b\[/);
    const plain = gomend(dir, ['--transform', rename], { NO_COLOR: '1' });
    assert.not.match(plain.stdout, /\x1b\[/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a path given twice, or a file and its directory, is processed once', () => {
  const dir = freshModule();
  try {
    const r = gomend(dir, ['.', 'main.go', '--transform', rename, '--json']);
    assert.is(JSON.parse(r.stdout).summary.files, 4);
    assert.ok(existsSync(path.join(dir, 'main.go')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a transform that throws on one file fails that file only; the run goes on', () => {
  const dir = freshModule();
  try {
    rmSync(path.join(dir, 'broken.go'));
    writeFileSync(path.join(dir, 'boom.go'), 'package main\n\n// BOOM\nvar old2 = 1\n');
    const r = gomend(dir, ['--write', '--transform', `${path.join(data, 'thrower.mjs')},${rename}`]);
    assert.is(r.code, 3);
    assert.match(r.stderr, /boom\.go: error: transform thrower failed: kaboom\n/);
    assert.match(readFileSync(path.join(dir, 'main.go'), 'utf8'), /renamed := 1/, 'other files are still fixed');
    assert.not.match(r.stderr, /internal error/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a fix that never settles is not written; the file is reported', () => {
  const dir = freshModule();
  try {
    rmSync(path.join(dir, 'broken.go'));
    writeFileSync(path.join(dir, 'w.go'), 'package main\n\nfunc w(x int) int { return x }\n\nvar A = w(1)\n');
    const r = gomend(dir, ['--write', '--transform', path.join(data, 'stacker.mjs')]);
    assert.is(r.code, 3);
    assert.match(r.stderr, /w\.go: error: fixes did not settle after 10 passes \(stacker\)/);
    assert.is(readFileSync(path.join(dir, 'w.go'), 'utf8'), 'package main\n\nfunc w(x int) int { return x }\n\nvar A = w(1)\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('diff headers: names with spaces apply with patch -p1', () => {
  const dir = freshModule();
  try {
    rmSync(path.join(dir, 'broken.go'));
    cpSync(path.join(dir, 'main.go'), path.join(dir, 'my main.go'));
    rmSync(path.join(dir, 'main.go'));
    const r = gomend(dir, ['my main.go', '--transform', rename]);
    assert.ok(r.stdout.includes('--- a/my main.go\t\n+++ b/my main.go\t\n'), r.stdout);
    const p = spawnSync('patch', ['-p1', '--dry-run'], { cwd: dir, input: r.stdout, encoding: 'utf8' });
    assert.is(p.status, 0, p.stdout + p.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('diff headers: files outside the working directory get ../ paths that git apply --unsafe-paths takes', () => {
  const dir = freshModule();
  const work = mkdtempSync(path.join(os.tmpdir(), 'gomend-cwd-'));
  try {
    rmSync(path.join(dir, 'broken.go'));
    const r = gomend(work, [path.join(dir, 'main.go'), '--transform', rename]);
    const rel = path.relative(work, path.join(dir, 'main.go')).split(path.sep).join('/');
    assert.ok(rel.startsWith('../'));
    assert.ok(r.stdout.includes(`--- a/${rel}\n+++ b/${rel}\n`), r.stdout);
    assert.match(r.stderr, /outside the current directory/);
    const g = spawnSync('git', ['apply', '--unsafe-paths', '--check', '-'], { cwd: work, input: r.stdout, encoding: 'utf8' });
    assert.is(g.status, 0, g.stdout + g.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
});


/** A package large enough to outgrow a small worker heap: many maps written by goroutines. */
function bigPackage(dir: string, functions: number): void {
  const body = ['package big', '', 'var hits = map[string]int{}', ''];
  for (let i = 0; i < functions; i++) {
    body.push(`type s${i} struct {`, `\tm${i} map[string]int`, '}', '', `func (x *s${i}) put(k string) {`, `\tx.m${i}[k] = len(hits)`, '\tgo func() {', '\t\thits[k]++', '\t}()', '}', '');
  }
  writeFileSync(path.join(dir, 'big.go'), body.join('\n'));
  writeFileSync(path.join(dir, 'go.mod'), 'module example.com/big\n\ngo 1.22\n');
}

test('a directory too large for a worker is done again in the main thread, with the same result', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-cli-big-'));
  try {
    mkdirSync(path.join(dir, 'a'));
    mkdirSync(path.join(dir, 'b'));
    bigPackage(path.join(dir, 'a'), 3000);
    bigPackage(path.join(dir, 'b'), 10);
    const alone = gomend(dir, ['-j', '1', '.']);
    const pooled = gomend(dir, ['-j', '2', '.'], { GOMEND_WORKER_HEAP_MB: '8' });
    assert.is(pooled.code, alone.code, pooled.stderr);
    // The note names the directory (with others that may not fit a heap that small either).
    assert.match(pooled.stderr, /gomend: (a|\d+ directories \((?:[^)]*, )?a(?:, [^)]*)?\)) did not fit a worker's 8 MB heap and ran again in the main thread/);
    assert.ok(alone.stdout.includes('hitsMu.Lock()'), 'the big package has a fix');
    assert.is(pooled.stdout, alone.stdout);
    const starved = gomend(dir, ['-j', '2', '.'], { GOMEND_WORKER_HEAP_MB: '1' });
    assert.is(starved.code, alone.code, 'workers that cannot start do not end the run early');
    assert.is(starved.stdout, alone.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
