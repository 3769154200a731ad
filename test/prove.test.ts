/**
 * `--prove` end to end on small modules: a race fixed (race → pass), a fix that breaks a test
 * withheld with exit 3, a package with no tests, one that does not build before, a test that runs
 * out of time; and the errors without Go or outside a module. `go test -race` is slow, so each run
 * proves several packages at once and the runs are few.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from './fixture-cases.js';
import { classifyTest, vetReports, newReports, withholdReason } from '../src/prove/outcome.js';
import { absoluteReplaces, parseDuration } from '../src/prove/index.js';

const test = suite('prove');
const bin = path.join(repoRoot, 'bin', 'gomend.js');
const data = path.join(repoRoot, 'test', 'data', 'prove');
const saboteur = path.join(data, 'saboteur.mjs');
const haveGo = spawnSync('go', ['version']).status === 0;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function gomend(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function copyOf(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-prove-test-'));
  cpSync(path.join(data, name), dir, { recursive: true });
  return dir;
}

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

test('--write --prove: a race fixed is proved, a fix that breaks a test or go vet is withheld (exit 3)', () => {
  if (!haveGo) return;
  const dir = copyOf('mod');
  try {
    const r = gomend(dir, ['--write', '--prove', '--json', '-t', `goroutine-subslice,${saboteur}`, '.']);
    assert.is(r.code, 3, r.stderr);
    const report = JSON.parse(r.stdout);
    const proofs = Object.fromEntries(report.proofs.map((p: { dir: string }) => [p.dir, p]));
    assert.equal(Object.keys(proofs).sort(), ['broken', 'notests', 'race', 'sum', 'vetted']);
    for (const p of report.proofs) {
      assert.equal(Object.keys(p).slice(0, 6), ['package', 'dir', 'before', 'after', 'fixes', 'seconds']);
      assert.is(p.fixes, 1);
      assert.type(p.seconds, 'number');
    }

    // race → pass: written.
    assert.is(proofs.race.package, 'example.com/prove/race');
    assert.is(proofs.race.before, 'race');
    assert.is(proofs.race.after, 'pass');
    assert.is(proofs.race.withheld, undefined);
    assert.match(read(dir, 'race/race.go'), /go func\(preview \[\]string\) \{ results <- count\(preview\) \}\(slices\.Clone\(preview\)\)/);
    assert.match(r.stderr, /^example\.com\/prove\/race: race before, pass after: 1 fix proved/m);

    // pass → fail: withheld, the file as it was, the failing test quoted.
    assert.is(proofs.sum.before, 'pass');
    assert.is(proofs.sum.after, 'fail');
    assert.match(proofs.sum.withheld, /the tests fail after the fixes/);
    assert.is(read(dir, 'sum/sum.go'), read(path.join(data, 'mod'), 'sum/sum.go'), 'a withheld fix must not be written');
    assert.match(r.stderr, /^example\.com\/prove\/sum: pass before, fail after: 1 fix withheld/m);
    assert.match(r.stderr, /^ {4}--- FAIL: TestAdd/m);
    assert.match(r.stderr, /Add\(2, 3\) = -1, want 5/);
    const sum = report.files.find((f: { path: string }) => f.path === 'sum/sum.go');
    assert.is(sum.status, 'skipped');

    // No tests: nothing proved, a test suggested; the fix is written (nothing says it breaks).
    assert.is(proofs.notests.before, 'no-tests');
    assert.is(proofs.notests.after, 'no-tests');
    assert.match(r.stderr, /^example\.com\/prove\/notests: no-tests before, no-tests after: no tests: nothing proved .*write a test/m);
    assert.match(read(dir, 'notests/notests.go'), /n - n/);

    // The tests pass after, but go vet gains a report: withheld.
    assert.is(proofs.vetted.before, 'pass');
    assert.is(proofs.vetted.after, 'pass');
    assert.match(proofs.vetted.withheld, /go vet reports what it did not before: vetted\/vetted\.go: x \(8 bits\) too small for shift of 11/);
    assert.match(read(dir, 'vetted/vetted.go'), /9 \+ -2/);

    // A build error before the fixes: not the fixes' doing, so it does not block.
    assert.is(proofs.broken.before, 'build-error');
    assert.is(proofs.broken.after, 'build-error');
    assert.match(read(dir, 'broken/broken.go'), /a - b/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--prove --prove-timeout: a test that does not end is a timeout, reported in SARIF; a dry run writes nothing', () => {
  if (!haveGo) return;
  const dir = copyOf('slowmod');
  try {
    const before = read(dir, 'slow.go');
    const r = gomend(dir, ['--prove', '--prove-timeout', '1s', '--format', 'sarif', '-t', saboteur, '.']);
    assert.is(r.code, 0, r.stderr);
    assert.is(read(dir, 'slow.go'), before);
    const results = JSON.parse(r.stdout).runs[0].results;
    assert.is(results.length, 1);
    const proof = results[0].properties.proof;
    assert.is(proof.package, 'example.com/slow');
    assert.is(proof.before, 'timeout');
    assert.is(proof.after, 'timeout');
    assert.match(r.stderr, /^example\.com\/slow: timeout before, timeout after: nothing proved/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-i --prove: an accepted fix that breaks a test is not written (exit 3)', async () => {
  if (!haveGo || spawnSync('script', ['--version']).status !== 0) return;
  const dir = copyOf('mod');
  try {
    const launcher = path.join(repoRoot, 'test', 'data', 'interactive', 'gomend.mjs');
    const cmd = `node '${launcher}' sum -i --prove -t '${saboteur}'; echo "EXIT=$?"`;
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: dir, env: { ...process.env, GOMEND_DIST: path.join(repoRoot, 'dist'), NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let answered = false;
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString('utf8');
      if (!answered && /Apply this fix \(1\/1\)/.test(screen)) {
        answered = true;
        child.stdin.write('y');
      }
    });
    child.stderr.on('data', (d: Buffer) => (screen += d.toString('utf8')));
    await new Promise((resolve) => child.on('exit', resolve));
    const out = screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
    assert.ok(answered, out);
    assert.match(out, /example\.com\/prove\/sum: pass before, fail after: 1 fix withheld/);
    assert.match(out, /EXIT=3/);
    assert.is(read(dir, 'sum/sum.go'), read(path.join(data, 'mod'), 'sum/sum.go'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--prove without go on PATH: exit 2, nothing written', () => {
  const dir = copyOf('mod');
  try {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'gomend-nogo-'));
    const r = gomend(dir, ['--write', '--prove', '-t', saboteur, '.'], { PATH: empty });
    rmSync(empty, { recursive: true, force: true });
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /^gomend: --prove runs the package's tests with go, but the go command is not on PATH/m);
    assert.is(read(dir, 'sum/sum.go'), read(path.join(data, 'mod'), 'sum/sum.go'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--prove outside a module: exit 2, nothing written', () => {
  if (!haveGo) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-nomod-'));
  try {
    mkdirSync(path.join(dir, 'p'));
    const text = 'package p\n\nfunc Add(a, b int) int { return a + b }\n';
    writeFileSync(path.join(dir, 'p', 'p.go'), text);
    const r = gomend(dir, ['--write', '--prove', '-t', saboteur, '.']);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /^gomend: p: not inside a Go module \(no go\.mod above it\)/m);
    assert.is(read(dir, 'p/p.go'), text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--prove-timeout needs --prove and a duration', () => {
  assert.is(gomend(data, ['--prove-timeout', '1m', 'mod']).code, 2);
  const r = gomend(data, ['--prove', '--prove-timeout', 'soon', 'mod'], { PATH: '' });
  assert.is(r.code, 2);
  assert.match(r.stderr, /--prove-timeout soon: expected a duration/);
});

test('outcomes: races, map faults, timeouts, build errors, no tests', () => {
  assert.is(classifyTest({ code: 2, output: 'fatal error: concurrent map writes\n\ngoroutine 7 [running]:\n' }), 'race');
  assert.is(classifyTest({ code: 2, output: 'fatal error: concurrent map read and map write\n' }), 'race');
  assert.is(classifyTest({ code: 1, output: '==================\nWARNING: DATA RACE\nRead at 0x1 by goroutine 8:\n--- FAIL: TestX (0.01s)\nFAIL\n' }), 'race');
  assert.is(classifyTest({ code: 1, output: 'panic: test timed out after 1s\n\trunning tests:\n\t\tTestInc (1s)\n' }), 'timeout');
  assert.is(classifyTest({ code: null, output: '', killed: true }), 'timeout');
  assert.is(classifyTest({ code: 1, output: '# example.com/p\np.go:3:9: undefined: x\nFAIL\texample.com/p [build failed]\nFAIL\n' }), 'build-error');
  assert.is(classifyTest({ code: 1, output: 'go: updates to go.mod needed; to update it:\n\tgo mod tidy\n' }), 'build-error');
  assert.is(classifyTest({ code: 0, output: '?   \texample.com/p\t[no test files]\n' }), 'no-tests');
  assert.is(classifyTest({ code: 0, output: 'ok  \texample.com/p\t0.01s [no tests to run]\n' }), 'no-tests');
  assert.is(classifyTest({ code: 0, output: 'ok  \texample.com/p\t0.01s\n' }), 'pass');
  assert.is(classifyTest({ code: 1, output: '--- FAIL: TestX (0.00s)\nFAIL\nFAIL\texample.com/p\t0.01s\n' }), 'fail');
});

test('withholding: what passed must still pass, and vet must not gain a report', () => {
  assert.ok(withholdReason('pass', 'fail', '', '--- FAIL: TestA', []));
  assert.ok(withholdReason('race', 'build-error', '', '', []));
  assert.is(withholdReason('race', 'race', '', '', []), undefined, 'a race that remains does not block');
  assert.is(withholdReason('build-error', 'build-error', '', '', []), undefined);
  assert.is(withholdReason('fail', 'fail', '--- FAIL: TestA', '--- FAIL: TestA', []), undefined);
  assert.match(withholdReason('fail', 'fail', '--- FAIL: TestA', '--- FAIL: TestA\n--- FAIL: TestB', []) ?? '', /TestB/);
  const before = vetReports({ code: 1, output: '# example.com/p\n./p.go:4:2: unreachable code\n' });
  const after = vetReports({ code: 1, output: '# example.com/p\n./p.go:5:2: unreachable code\n./p.go:9:3: fmt.Printf format %d has arg s of wrong type string\n' });
  assert.equal(newReports(before, after), ['p.go: fmt.Printf format %d has arg s of wrong type string']);
  assert.match(withholdReason('pass', 'pass', '', '', newReports(before, after)) ?? '', /go vet reports/);
});

test('durations and replace directives', () => {
  assert.is(parseDuration('5m'), 300_000);
  assert.is(parseDuration('90'), 90_000);
  assert.is(parseDuration('250ms'), 250);
  assert.is(parseDuration('0s'), undefined);
  assert.is(parseDuration('soon'), undefined);
  assert.is(absoluteReplaces('module m\n\nreplace example.com/x => ../x\nreplace example.com/y v1.0.0 => example.com/z v1.2.0\n', '/src/m'), 'module m\n\nreplace example.com/x => /src/x\nreplace example.com/y v1.0.0 => example.com/z v1.2.0\n');
});

test.run();
