/**
 * Ecosystem fit, tested through the real CLI (`node bin/gomend.js`) on copies of the small modules
 * in test/data/ecosystem: the dry-run diff applies with `git apply` and `patch -p1`, SARIF output
 * is well formed and its fixes reproduce `--write`, user transforms load from ESM and CommonJS
 * files, the package imports as a library, .gitignore files and NO_COLOR/FORCE_COLOR are honoured,
 * and the commands declared by action.yml and .pre-commit-hooks.yaml behave as documented.
 *
 * The modules are rewritten by the example transforms in examples/transforms, so these tests do
 * not depend on the built-in transforms. Line ends and byte-order marks cannot be trusted to survive
 * a checkout, so the copies get them here: crlf.go is given CRLF line ends and bom.go a BOM.
 */
import { spawnSync } from 'node:child_process';
import type { SpawnSyncOptions } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root: this file runs from <outDir>/test/. */
const root = path.resolve(here, '..', '..');
const bin = path.join(root, 'bin', 'gomend.js');
const data = path.join(root, 'test', 'data', 'ecosystem');
const esmTransform = path.join(root, 'examples', 'transforms', 'errors-new-fmt.mjs');
const cjsTransform = path.join(root, 'examples', 'transforms', 'strings-replace-all.cjs');
const hasGit = spawnSync('git', ['--version']).status === 0;
const hasPatch = spawnSync('patch', ['--version']).status === 0;
const hasGo = spawnSync('go', ['version']).status === 0;

const test = suite('ecosystem');
const temps: string[] = [];

test.after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a child without any colour preference of ours. */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  return { ...env, ...extra };
}

function run(cmd: string, args: string[], options: SpawnSyncOptions & { input?: string } = {}): Ran {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: plainEnv(), maxBuffer: 1 << 26, ...options });
  return { code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

function gomend(args: string[], cwd: string, env: Record<string, string> = {}): Ran {
  return run(process.execPath, [bin, ...args], { cwd, env: plainEnv(env) });
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-eco-'));
  temps.push(dir);
  return dir;
}

/** A copy of test/data/ecosystem/<name> with crlf.go given CRLF line ends and bom.go a BOM. */
function copyModule(name: string, into = tempDir()): string {
  cpSync(path.join(data, name), into, { recursive: true });
  const crlf = path.join(into, 'crlf.go');
  if (existsSync(crlf)) writeFileSync(crlf, readFileSync(crlf, 'utf8').replace(/\r?\n/g, '\r\n'));
  const bom = path.join(into, 'bom.go');
  if (existsSync(bom)) writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(bom)]));
  return into;
}

function git(cwd: string, ...args: string[]): Ran {
  return run('git', ['-c', 'user.name=gomend', '-c', 'user.email=gomend@example.com', '-c', 'core.autocrlf=false', '-c', 'init.defaultBranch=main', ...args], { cwd });
}

function gitRepo(dir: string): void {
  assert.is(git(dir, 'init', '-q').code, 0);
  assert.is(git(dir, 'add', '-A').code, 0);
  assert.is(git(dir, 'commit', '-q', '-m', 'start').code, 0);
}

/** Every .go file below `dir`, relative and `/`-separated, sorted. */
function goFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    if (name === '.git') continue;
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(path.join(dir, r)).isDirectory()) out.push(...goFiles(dir, r));
    else if (name.endsWith('.go')) out.push(r);
  }
  return out;
}

function assertSameTree(actualDir: string, expectedDir: string, what: string): void {
  const files = goFiles(expectedDir);
  assert.equal(goFiles(actualDir), files, `${what}: the same files`);
  for (const f of files) {
    const a = readFileSync(path.join(actualDir, f));
    const b = readFileSync(path.join(expectedDir, f));
    assert.ok(a.equals(b), `${what}: ${f} differs from the --write result\n--- got\n${a}\n--- want\n${b}`);
  }
}

/** The --write result for the module, in a fresh copy. */
function written(name: string, transforms: string[]): string {
  const dir = copyModule(name);
  const r = gomend(['-q', '--write', '.', ...transforms.flatMap((t) => ['--transform', t])], dir);
  assert.is(r.code, 0, `--write failed: ${r.stderr}`);
  return dir;
}

// ---------------------------------------------------------------- SARIF helpers

interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine: number;
  endColumn?: number;
}

/**
 * UTF-16 offset of a SARIF line/column in a file's text: lines end in `\r\n` or `\n` (SARIF's
 * default newline sequences), a BOM is not counted.
 */
function offsetOf(text: string, line: number, column: number): number {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    assert.ok(nl !== -1, `line ${line} is past the end of the file`);
    start = nl + 1;
  }
  return start + column - 1;
}

function fileText(file: string): { bom: boolean; text: string } {
  const text = readFileSync(file, 'utf8');
  return text.startsWith('\uFEFF') ? { bom: true, text: text.slice(1) } : { bom: false, text };
}

function regionText(text: string, r: SarifRegion): string {
  assert.ok(r.startColumn !== undefined && r.endColumn !== undefined, 'region has columns');
  return text.slice(offsetOf(text, r.startLine, r.startColumn!), offsetOf(text, r.endLine, r.endColumn!));
}

type Json = any;

function sarifOf(dir: string, args: string[]): { doc: Json; code: number | null; stderr: string } {
  const r = gomend(['-q', '--format', 'sarif', ...args], dir);
  let doc: Json;
  try {
    doc = JSON.parse(r.stdout);
  } catch (err) {
    assert.unreachable(`stdout is not JSON (${(err as Error).message}): ${r.stdout.slice(0, 400)} ${r.stderr}`);
  }
  return { doc, code: r.code, stderr: r.stderr };
}

// ---------------------------------------------------------------- tests

test('sarif: SARIF 2.1.0 with rules, results and regions that point at the findings', () => {
  const dir = copyModule('mod');
  const { doc, code, stderr } = sarifOf(dir, ['.', '--transform', esmTransform]);
  assert.is(code, 0, stderr);
  assert.is(doc.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
  assert.is(doc.version, '2.1.0');
  assert.is(doc.runs.length, 1);
  const runObj = doc.runs[0];
  const driver = runObj.tool.driver;
  assert.is(driver.name, 'gomend');
  assert.is(driver.version, JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  if (driver.informationUri !== undefined) assert.ok(/^https?:\/\//.test(driver.informationUri), driver.informationUri);
  assert.equal(driver.rules.map((r: Json) => r.id), ['errors-new-fmt']);
  assert.ok(driver.rules[0].shortDescription.text.includes('fmt.Errorf'));
  assert.is(runObj.columnKind, 'utf16CodeUnits');
  assert.is(runObj.invocations[0].executionSuccessful, true);

  // One result per `errors.New(fmt.Sprintf(` in the module.
  let expected = 0;
  for (const f of goFiles(dir)) expected += fileText(path.join(dir, f)).text.split('errors.New(fmt.Sprintf(').length - 1;
  assert.is(runObj.results.length, expected);

  const seen = new Set<string>();
  for (const res of runObj.results) {
    assert.is(res.ruleId, 'errors-new-fmt');
    assert.is(driver.rules[res.ruleIndex].id, res.ruleId);
    assert.ok(res.message.text.length > 0);
    assert.is(res.locations.length, 1);
    const loc = res.locations[0].physicalLocation;
    assert.is(loc.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.not.ok(loc.artifactLocation.uri.includes('\\'));
    const { text } = fileText(path.join(dir, decodeURIComponent(loc.artifactLocation.uri)));
    seen.add(loc.artifactLocation.uri);
    if (res.fixes) {
      assert.is(res.level, 'warning');
      assert.is(res.fixes.length, 1);
      assert.is(res.fixes[0].description.text, 'Call fmt.Errorf');
    } else {
      assert.is(res.level, 'note', 'only report-only findings come without fixes');
      assert.ok(/not fixed/.test(res.message.text), res.message.text);
    }
    if (loc.region.startColumn === undefined) continue; // line-only region: the file's text was not kept
    const snippet = regionText(text, loc.region);
    assert.ok(snippet.startsWith('errors.New(fmt.Sprintf(') && snippet.endsWith(')'), `${loc.artifactLocation.uri}: region covers ${JSON.stringify(snippet)}`);
  }
  // The CRLF file, the BOM file and the file with non-ASCII text before the edit all have results.
  for (const f of ['crlf.go', 'bom.go', 'unicode.go', 'errs.go', 'sub/kept.go']) assert.ok(seen.has(f), `a result in ${f}`);
});

/** Applies every SARIF fix in `doc` to the files under `dir`; returns how many fixes there were. */
function applySarifFixes(dir: string, doc: Json): number {
  const byFile = new Map<string, { start: number; end: number; text: string }[]>();
  let count = 0;
  for (const res of doc.runs[0].results) {
    for (const fix of res.fixes ?? []) {
      count++;
      for (const change of fix.artifactChanges) {
        assert.is(change.artifactLocation.uriBaseId, '%SRCROOT%');
        const uri = decodeURIComponent(change.artifactLocation.uri);
        const { text } = fileText(path.join(dir, uri));
        const list = byFile.get(uri) ?? [];
        for (const rep of change.replacements) {
          const r = rep.deletedRegion as SarifRegion;
          list.push({ start: offsetOf(text, r.startLine, r.startColumn!), end: offsetOf(text, r.endLine, r.endColumn!), text: rep.insertedContent?.text ?? '' });
        }
        byFile.set(uri, list);
      }
    }
  }
  for (const [uri, edits] of byFile) {
    const file = path.join(dir, uri);
    const { bom, text } = fileText(file);
    edits.sort((a, b) => b.start - a.start);
    let out = text;
    for (let i = 0; i < edits.length; i++) {
      if (i > 0) assert.ok(edits[i].end <= edits[i - 1].start, `${uri}: replacements overlap`);
      out = out.slice(0, edits[i].start) + edits[i].text + out.slice(edits[i].end);
    }
    writeFileSync(file, (bom ? '\uFEFF' : '') + out);
  }
  return count;
}

test('sarif: applying every fix to the original files gives the --write result', () => {
  const dir = copyModule('mod');
  const { doc } = sarifOf(dir, ['.', '--transform', esmTransform]);
  const count = applySarifFixes(dir, doc);
  assert.ok(count >= 6, `fixes found: ${count}`);
  assertSameTree(dir, written('mod', [esmTransform]), 'SARIF fixes applied');
});

test('sarif: a fix that edits several files has one artifact change per file', () => {
  const crossFile = path.join(data, 'cross-file-transform.mjs');
  const dir = copyModule('multi');
  const { doc, code, stderr } = sarifOf(dir, ['--transform', crossFile]);
  assert.is(code, 0, stderr);
  const results = doc.runs[0].results;
  assert.is(results.length, 1);
  const changes = results[0].fixes[0].artifactChanges;
  assert.equal(changes.map((c: Json) => c.artifactLocation.uri).sort(), ['a.go', 'b.go', 'crlf.go']);
  assert.is(changes.find((c: Json) => c.artifactLocation.uri === 'b.go').replacements.length, 2);
  assert.is(applySarifFixes(dir, doc), 1);
  assertSameTree(dir, written('multi', [crossFile]), 'cross-file SARIF fix applied');
});

test('sarif: fixes of the built-in goroutine-subslice reproduce its fixture output', () => {
  const fixture = path.join(root, 'fixtures', 'goroutine-subslice', 'go121');
  if (!existsSync(path.join(fixture, 'batch.input.go'))) return console.log('  (no goroutine-subslice fixture: skipped)');
  const setUp = () => {
    const dir = tempDir();
    cpSync(path.join(fixture, 'go.mod'), path.join(dir, 'go.mod'));
    cpSync(path.join(fixture, 'batch.input.go'), path.join(dir, 'batch.go'));
    return dir;
  };
  const want = readFileSync(path.join(fixture, 'batch.output.go'), 'utf8');
  const w = setUp();
  gomend(['-q', '--write', '--transform', 'goroutine-subslice'], w);
  if (readFileSync(path.join(w, 'batch.go'), 'utf8') !== want) return console.log('  (goroutine-subslice does not produce its fixture yet: skipped)');
  const dir = setUp();
  const { doc } = sarifOf(dir, ['--transform', 'goroutine-subslice']);
  assert.equal(doc.runs[0].tool.driver.rules.map((r: Json) => r.id), ['goroutine-subslice']);
  assert.ok(doc.runs[0].results.every((r: Json) => r.ruleId === 'goroutine-subslice'));
  assert.ok(applySarifFixes(dir, doc) >= 1);
  assert.fixture(readFileSync(path.join(dir, 'batch.go'), 'utf8'), want);
});

test('sarif: regions without the file text are lines only; unplaceable fixes are left out', async () => {
  const { sarifReport } = await import(pathToFileURL(path.join(here, '..', 'src', 'sinks', 'sarif.js')).href);
  const finding = (p: string, start: number, end: number, fix?: Json) => ({ transform: 't', path: p, start, end, line: 2, column: 3, endLine: 2, endColumn: 9, message: 'm', fixable: !!fix, fix });
  const fix = (start: number, end: number) => ({ message: 'Fix it', edits: [{ start, end, text: 'a\nb' }] });
  const mixed = 'l1\r\nab cd\nef\n'; // mixed line ends stay as they are in the normalised text
  const files = [
    { path: 'no text.go', absPath: '/r/no text.go', status: 'unchanged', findings: [finding('no text.go', 5, 9, fix(5, 6))], transforms: [] },
    { path: 'mixed.go', absPath: '/r/mixed.go', status: 'changed', before: mixed, after: mixed, shape: { bom: false, crlf: false }, findings: [finding('mixed.go', 4, 6, fix(2, 3)), finding('mixed.go', 4, 6, fix(7, 8))], transforms: [] },
    { path: 'crlf.go', absPath: '/r/crlf.go', status: 'changed', before: 'a\nbc\n', after: '', shape: { bom: true, crlf: true }, findings: [finding('crlf.go', 2, 4, fix(2, 3))], transforms: [] },
    { path: '/elsewhere/abs.go', absPath: '/elsewhere/abs.go', status: 'skipped', reason: 'not valid UTF-8', problem: true, findings: [], transforms: [] },
  ];
  const doc = sarifReport({ files, summary: {}, notes: ['gofmt not found'] }, [{ name: 't', description: 'a test', run: () => [] }]);
  const [noText, mixedNoFix, mixedFix, crlf] = doc.runs[0].results;
  assert.equal(noText.locations[0].physicalLocation.region, { startLine: 2, endLine: 2 });
  assert.is(noText.locations[0].physicalLocation.artifactLocation.uri, 'no%20text.go');
  assert.is(noText.fixes, undefined, 'no fixes without the text');
  assert.is(noText.level, 'warning');
  assert.is(mixedNoFix.fixes, undefined, 'an edit between \\r and \\n cannot be placed');
  assert.equal(mixedFix.fixes[0].artifactChanges[0].replacements[0].deletedRegion, { startLine: 2, startColumn: 4, endLine: 2, endColumn: 5 });
  assert.equal(crlf.locations[0].physicalLocation.region, { startLine: 2, startColumn: 1, endLine: 2, endColumn: 3 });
  assert.is(crlf.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, 'a\r\nb', 'CRLF in inserted text');
  const inv = doc.runs[0].invocations[0];
  assert.is(inv.executionSuccessful, false);
  assert.equal(inv.toolExecutionNotifications.map((n: Json) => n.level), ['warning', 'warning']);
  assert.is(inv.toolExecutionNotifications[1].locations[0].physicalLocation.artifactLocation.uri, 'file:///elsewhere/abs.go');
  assert.is(inv.toolExecutionNotifications[1].locations[0].physicalLocation.artifactLocation.uriBaseId, undefined);
});

test('sarif: a clean module gives a run with rules and no results', () => {
  const dir = copyModule('clean');
  const { doc, code } = sarifOf(dir, ['--transform', `${esmTransform},${cjsTransform}`]);
  assert.is(code, 0);
  assert.equal(doc.runs[0].tool.driver.rules.map((r: Json) => r.id), ['errors-new-fmt', 'strings-replace-all']);
  assert.equal(doc.runs[0].results, []);
});

test('diff: applies with git apply and patch -p1 from the directory gomend ran in', () => {
  if (!hasGit) return console.log('  (git not found: skipped)');
  const dir = copyModule('mod');
  gitRepo(dir);
  const transforms = ['--transform', `${esmTransform},${cjsTransform}`];
  const r = gomend(['-q', '.', ...transforms], dir);
  assert.is(r.code, 0, r.stderr);
  const diff = r.stdout;
  assert.ok(diff.includes('+++ b/crlf.go\n'), 'the CRLF file is in the diff');
  assert.ok(diff.includes('+\treturn fmt.Errorf("cannot parse %q", line)\r\n'), 'CRLF kept in added lines');
  assert.ok(diff.includes('+++ b/unicode.go\n'), 'the non-ASCII file is in the diff');
  assert.ok(diff.includes('+++ b/bom.go\n'), 'the BOM file is in the diff');
  assert.not.ok(diff.includes('\x1b['), 'no colour in a pipe');

  const check = run('git', ['apply', '--check', '-'], { cwd: dir, input: diff });
  assert.is(check.code, 0, `git apply --check: ${check.stderr}`);
  if (hasPatch) {
    const dry = run('patch', ['-p1', '--dry-run'], { cwd: dir, input: diff });
    assert.is(dry.code, 0, `patch -p1 --dry-run: ${dry.stdout}${dry.stderr}`);
  }
  const applied = run('git', ['apply', '-'], { cwd: dir, input: diff });
  assert.is(applied.code, 0, `git apply: ${applied.stderr}`);
  assertSameTree(dir, written('mod', [esmTransform, cjsTransform]), 'git apply');

  if (hasPatch) {
    const other = copyModule('mod');
    const p = run('patch', ['-p1', '--quiet'], { cwd: other, input: diff });
    assert.is(p.code, 0, `patch -p1: ${p.stdout}${p.stderr}`);
    for (const f of readdirSync(other)) assert.not.ok(f.endsWith('.orig') || f.endsWith('.rej'), `patch left ${f}`);
    assertSameTree(other, dir, 'patch -p1');
  }
});

test('diff: run in a subdirectory, it applies from that subdirectory', () => {
  if (!hasGit) return console.log('  (git not found: skipped)');
  const dir = copyModule('mod');
  gitRepo(dir);
  const sub = path.join(dir, 'sub');
  const r = gomend(['-q', '--transform', esmTransform], sub);
  assert.is(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes('--- a/kept.go\n+++ b/kept.go\n'), r.stdout);
  const check = run('git', ['apply', '--check', '-'], { cwd: sub, input: r.stdout });
  assert.is(check.code, 0, check.stderr);
  if (hasPatch) assert.is(run('patch', ['-p1', '--dry-run'], { cwd: sub, input: r.stdout }).code, 0);
  assert.is(run('git', ['apply', '-'], { cwd: sub, input: r.stdout }).code, 0);
  // git apply exits 0 but skips a file it takes to be outside the current directory, as it does for
  // `diff --git` headers, which it reads as relative to the top of the repository.
  assert.ok(readFileSync(path.join(sub, 'kept.go'), 'utf8').includes('return fmt.Errorf("kept %d", n)'), 'git apply in a subdirectory left kept.go unchanged');
});

test('user transforms: --list shows ESM and CommonJS transforms', () => {
  const r = gomend(['--list', '--transform', esmTransform, '--transform', cjsTransform], root);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.is(lines.length, 2);
  assert.ok(/^errors-new-fmt\s+errors\.New\(fmt\.Sprintf\(\.\.\.\)\) becomes fmt\.Errorf\(\.\.\.\)$/.test(lines[0]), lines[0]);
  assert.ok(/^strings-replace-all\s+.*\(Go ≥ 1\.12\)$/.test(lines[1]), lines[1]);
});

test('user transforms: a relative ./path loads, finds and fixes', () => {
  const dir = copyModule('mod');
  cpSync(path.join(root, 'examples'), path.join(dir, 'examples'), { recursive: true });
  const esm = './examples/transforms/errors-new-fmt.mjs';
  const cjs = './examples/transforms/strings-replace-all.cjs';

  const check = gomend(['--check', '.', '--transform', `${esm},${cjs}`], dir);
  assert.is(check.code, 1, `--check exits 1 with fixes pending: ${check.stderr}`);
  assert.ok(check.stdout.includes('+\treturn strings.ReplaceAll(p, `\\`, "/")'), check.stdout);
  assert.ok(check.stderr.includes('errs.go:19:9: errors-new-fmt:'), 'the %w call is reported on stderr');
  assert.ok(check.stderr.includes('its format has %w'), check.stderr);
  assert.ok(check.stderr.includes('sub/ignored.go:10:9: errors-new-fmt:') && check.stderr.includes('import would be left unused'), check.stderr);

  const write = gomend(['-q', '--write', '.', '--transform', `${esm},${cjs}`], dir);
  assert.is(write.code, 0, write.stderr);
  const errs = readFileSync(path.join(dir, 'errs.go'), 'utf8');
  assert.ok(errs.includes('return fmt.Errorf("no user %d", id)'));
  assert.ok(errs.includes('return errors.New(fmt.Sprintf("lookup: %w", err))'), 'the %w call is left alone');
  assert.ok(readFileSync(path.join(dir, 'replace.go'), 'utf8').includes('strings.ReplaceAll(p, `\\`, "/")'));
  assert.ok(readFileSync(path.join(dir, 'crlf.go'), 'utf8').includes('\treturn fmt.Errorf("cannot parse %q", line)\r\n'));

  const again = gomend(['-q', '--check', '.', '--transform', `${esm},${cjs}`], dir);
  assert.is(again.code, 0, 'a second run has nothing to fix');
  if (hasGo) {
    rmSync(path.join(dir, 'examples'), { recursive: true });
    const build = run('go', ['build', './...'], { cwd: dir, env: plainEnv({ GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' }) });
    assert.is(build.code, 0, `the rewritten module builds: ${build.stderr}`);
  }
});

test('user transforms: a module without run is refused with exit code 2', () => {
  const broken = path.join(data, 'broken-transform.mjs');
  const r = gomend(['--list', '--transform', broken], root);
  assert.is(r.code, 2);
  assert.ok(r.stderr.includes('broken-transform.mjs') && r.stderr.includes('run(file, ctx)'), r.stderr);
  const missing = gomend(['--transform', './no/such/transform.mjs'], root);
  assert.is(missing.code, 2);
  assert.ok(missing.stderr.includes('no such file'), missing.stderr);
});

test('library: run, transforms, planPackage and initParser import from the build', async () => {
  const lib = await import(pathToFileURL(path.join(here, '..', 'src', 'index.js')).href);
  for (const name of ['run', 'planPackage', 'initParser', 'writeChanges', 'transformByName']) assert.type(lib[name], 'function', name);
  assert.ok(Array.isArray(lib.transforms) && lib.transforms.length > 0);
  for (const t of lib.transforms) assert.type(t.run, 'function');

  const { default: errorsNewFmt } = await import(pathToFileURL(esmTransform).href);
  const dir = copyModule('mod');
  const result = await lib.run({ paths: ['.'], cwd: dir, transforms: [errorsNewFmt] });
  const errs = result.files.find((f: Json) => f.path === 'errs.go');
  assert.is(errs.status, 'changed');
  assert.ok(errs.after.includes('fmt.Errorf("no user %d", id)'));
  assert.is(readFileSync(path.join(dir, 'errs.go'), 'utf8'), readFileSync(path.join(data, 'mod', 'errs.go'), 'utf8'), 'run writes nothing');

  await lib.initParser();
  const source = 'package p\n\nimport (\n\t"errors"\n\t"fmt"\n)\n\nvar e = errors.New("e")\n\nfunc f(n int) error { return errors.New(fmt.Sprintf("%d", n)) }\n';
  const plan = lib.planPackage([{ path: 'p.go', source, goVersion: { major: 1, minor: 21 } }], [errorsNewFmt]);
  assert.is(plan.findings.length, 1);
  assert.ok(plan.outputs.get('p.go').includes('return fmt.Errorf("%d", n)'));
});

test('library: `import ... from "gomend"` resolves through the package exports, with types', () => {
  assert.ok(existsSync(path.join(root, 'dist', 'src', 'index.d.ts')), 'dist/src/index.d.ts exists (npm run build)');
  const types = readFileSync(path.join(root, 'dist', 'src', 'index.d.ts'), 'utf8');
  for (const name of ['run', 'transforms', 'planPackage', 'initParser', 'Transform', 'RunResult']) assert.ok(new RegExp(`\\b${name}\\b`).test(types), `index.d.ts declares ${name}`);

  const app = tempDir();
  mkdirSync(path.join(app, 'node_modules'));
  symlinkSync(root, path.join(app, 'node_modules', 'gomend'), 'dir');
  writeFileSync(path.join(app, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    path.join(app, 'use.js'),
    [
      "import { run, transforms, planPackage, initParser } from 'gomend';",
      "import pkg from 'gomend/package.json' with { type: 'json' };",
      'await initParser();',
      "const plan = planPackage([{ path: 'a.go', source: 'package a\\n', goVersion: undefined }], [...transforms]);",
      "console.log(JSON.stringify({ run: typeof run, names: transforms.map((t) => t.name), outputs: plan.outputs.size, version: pkg.version }));",
    ].join('\n'),
  );
  const r = run(process.execPath, ['use.js'], { cwd: app });
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.is(out.run, 'function');
  assert.ok(out.names.length > 0);
  assert.is(out.outputs, 0);
});

test('.gitignore: nested and parent files are honoured', () => {
  if (!hasGit) return console.log('  (git not found: skipped)');
  const repo = tempDir();
  const dir = copyModule('mod', path.join(repo, 'mod'));
  writeFileSync(path.join(repo, '.gitignore'), 'gen/\n');
  writeFileSync(path.join(dir, 'sub', '.gitignore'), 'ignored.go\n');
  assert.is(git(repo, 'init', '-q').code, 0);

  const listed = (cwd: string, args: string[]) => {
    const r = gomend(['-q', '--json', ...args, '--transform', esmTransform], cwd);
    assert.is(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout).files as Json[]).map((f) => f.path).sort();
  };
  const fromModule = listed(dir, ['.']);
  assert.ok(fromModule.includes('sub/kept.go'), fromModule.join(' '));
  assert.not.ok(fromModule.includes('sub/ignored.go'), 'the nested .gitignore excludes sub/ignored.go');
  assert.not.ok(fromModule.some((p) => p.startsWith('gen/')), 'the parent .gitignore excludes gen/');

  const fromRoot = listed(repo, ['.']);
  assert.ok(fromRoot.includes('mod/errs.go'));
  assert.not.ok(fromRoot.includes('mod/sub/ignored.go'));
  assert.not.ok(fromRoot.some((p) => p.startsWith('mod/gen/')));

  // A file named on the command line is taken even when ignored (as pre-commit names files).
  assert.ok(listed(dir, ['sub/ignored.go']).includes('sub/ignored.go'));
});

test('colour: FORCE_COLOR colours a pipe, NO_COLOR and a pipe alone do not', () => {
  const dir = copyModule('mod');
  const args = ['-q', 'errs.go', '--transform', esmTransform];
  const esc = '\x1b[';
  assert.ok(gomend(args, dir, { FORCE_COLOR: '1' }).stdout.includes(esc), 'FORCE_COLOR=1 gives ANSI codes');
  assert.not.ok(gomend(args, dir, { NO_COLOR: '1' }).stdout.includes(esc), 'NO_COLOR=1 gives none');
  assert.not.ok(gomend(args, dir).stdout.includes(esc), 'a pipe gives none');
  assert.not.ok(gomend(args, dir, { FORCE_COLOR: '0' }).stdout.includes(esc), 'FORCE_COLOR=0 gives none');
  assert.ok(gomend(args, dir, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout.includes(esc), 'FORCE_COLOR wins over NO_COLOR');
  assert.ok(gomend(['--color', ...args], dir, { NO_COLOR: '1' }).stdout.includes(esc), '--color forces it');
  assert.not.ok(gomend(['--no-color', ...args], dir, { FORCE_COLOR: '1' }).stdout.includes(esc), '--no-color turns it off');
  assert.not.ok(gomend(['--format', 'sarif', ...args], dir, { FORCE_COLOR: '1' }).stdout.includes(esc), 'never in SARIF');
});

// ---------------------------------------------------------------- integration files

/** The value of `key: value` on a line of its own in a small YAML text (quotes removed). */
function yamlScalar(text: string, key: string): string | undefined {
  const m = new RegExp(`^\\s*-?\\s*${key}:\\s*(.*?)\\s*$`, 'm').exec(text);
  return m?.[1].replace(/^(['"])(.*)\1$/, '$2');
}

/**
 * The steps of a composite action, read without a YAML library: each `- name:` item under `steps:`
 * with its `id`, `if`, `uses`, `env` map and `run: |` block.
 */
function actionSteps(text: string): { name: string; id?: string; if?: string; uses?: string; env: Record<string, string>; run?: string }[] {
  const body = text.slice(text.indexOf('\n  steps:\n'));
  const items = body.split(/\n    - /).slice(1);
  return items.map((item) => {
    const lines = ('    - ' + item).split('\n');
    const step: ReturnType<typeof actionSteps>[number] = { name: '', env: {} };
    for (let i = 0; i < lines.length; i++) {
      const m = /^ {4}(?:- | {2})([a-z-]+):\s*(.*)$/.exec(lines[i]);
      if (!m) continue;
      const [, key, value] = m;
      if (key === 'name') step.name = value;
      if (key === 'id') step.id = value;
      if (key === 'if') step.if = value;
      if (key === 'uses') step.uses = value;
      if (key === 'env') {
        for (i++; i < lines.length && /^ {8}\S/.test(lines[i]); i++) {
          const e = /^ {8}([A-Z_]+):\s*(.*)$/.exec(lines[i]);
          if (e) step.env[e[1]] = e[2];
        }
        i--;
      }
      if (key === 'run' && value !== '|') step.run = value + '\n';
      if (key === 'run' && value === '|') {
        const block: string[] = [];
        for (i++; i < lines.length && (/^ {8}/.test(lines[i]) || lines[i].trim() === ''); i++) block.push(lines[i].slice(8));
        i--;
        step.run = block.join('\n').trimEnd() + '\n';
      }
    }
    return step;
  });
}

/** Resolves the `${{ ... }}` expressions gomend's action uses. */
function expand(value: string, ctx: { inputs: Record<string, string>; steps: Record<string, Record<string, string>>; actionPath: string }): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    let m = /^inputs\.([a-z-]+)$/.exec(expr);
    if (m) return ctx.inputs[m[1]] ?? '';
    m = /^steps\.([a-z-]+)\.outputs\.([a-z-]+)$/.exec(expr);
    if (m) return ctx.steps[m[1]]?.[m[2]] ?? '';
    if (expr === 'github.action_path') return ctx.actionPath;
    throw new Error(`unexpected expression ${expr}`);
  });
}

/** The default of each input of action.yml. */
function actionInputs(text: string): Record<string, string> {
  const inputs: Record<string, string> = {};
  const block = text.slice(text.indexOf('\ninputs:\n'), text.indexOf('\noutputs:\n'));
  for (const m of block.matchAll(/^ {2}([a-z-]+):\n((?: {4}.*\n)+)/gm)) inputs[m[1]] = yamlScalar(m[2], 'default') ?? '';
  return inputs;
}

/**
 * Runs the action's shell steps in `cwd` as a runner would (upload skipped) and returns the exit
 * code of the last step that ran, with the outputs of the gomend step.
 */
function runAction(cwd: string, overrides: Record<string, string>): { code: number | null; outputs: Record<string, string>; log: string } {
  const text = readFileSync(path.join(root, 'action.yml'), 'utf8');
  const inputs: Record<string, string> = { ...actionInputs(text), upload: 'false', ...overrides };
  const ctx = { inputs, steps: {} as Record<string, Record<string, string>>, actionPath: root };
  let code: number | null = 0;
  let log = '';
  for (const step of actionSteps(text)) {
    if (step.if) {
      const m = /^inputs\.([a-z-]+) == '(.*)'$/.exec(step.if);
      assert.ok(m, `unexpected condition ${step.if}`);
      if (ctx.inputs[m![1]] !== m![2]) continue;
    }
    if (step.uses) continue;
    const outputFile = path.join(tempDir(), 'github-output');
    writeFileSync(outputFile, '');
    const env: Record<string, string> = { GITHUB_OUTPUT: outputFile };
    for (const [k, v] of Object.entries(step.env)) env[k] = expand(v, ctx);
    const r = run('bash', ['-c', step.run!], { cwd, env: plainEnv(env) });
    log += r.stdout + r.stderr;
    code = r.code;
    if (step.id) ctx.steps[step.id] = Object.fromEntries(readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2)));
    if (code !== 0) break;
  }
  return { code, outputs: ctx.steps.gomend ?? {}, log };
}

test('action.yml: a composite action that runs gomend --check --format sarif and uploads it', () => {
  const text = readFileSync(path.join(root, 'action.yml'), 'utf8');
  assert.is(yamlScalar(text, 'using'), 'composite');
  for (const input of ['path', 'transforms', 'args']) assert.ok(input in actionInputs(text), `input ${input}`);
  const steps = actionSteps(text);
  const main = steps.find((s) => s.id === 'gomend');
  assert.is(main?.run, 'bash "$GOMEND_ACTION_PATH/scripts/action.sh" run\n', 'the gomend step runs scripts/action.sh from the action\'s checkout');
  assert.is(main!.env.GOMEND_ACTION_PATH, '${{ github.action_path }}');
  const script = readFileSync(path.join(root, 'scripts', 'action.sh'), 'utf8');
  assert.ok(script.includes('--check --format sarif'), 'action.sh runs --check --format sarif');
  assert.ok(script.includes('npx --yes "gomend@${GOMEND_VERSION}"'), 'an explicit version comes from npm');
  assert.ok(steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@')), 'it uploads with upload-sarif');
  assert.not.ok(/\$\{\{/.test(steps.map((s) => s.run ?? '').join('\n')), 'scripts read inputs from env, never by ${{ }} substitution');
});

test('action.yml: its command exits 1 with fixes pending and 0 when clean, writing SARIF', () => {
  const dir = copyModule('mod');
  const pending = runAction(dir, { transforms: esmTransform, path: '.\nsub errs.go\n' });
  assert.is(pending.code, 1, pending.log);
  assert.is(pending.outputs['exit-code'], '1');
  const sarif = JSON.parse(readFileSync(path.join(dir, pending.outputs['sarif-file']), 'utf8'));
  assert.is(sarif.version, '2.1.0');
  assert.ok(sarif.runs[0].results.length > 0);
  assert.ok(/fixes to apply/.test(pending.log), pending.log);

  const report = runAction(dir, { transforms: esmTransform, 'fail-on-fixes': 'false' });
  assert.is(report.code, 0, 'with fail-on-fixes false the job passes');
  assert.is(report.outputs['exit-code'], '1');

  const clean = copyModule('clean');
  const ok = runAction(clean, { transforms: `${esmTransform},${cjsTransform}`, 'sarif-file': 'reports/result.sarif', args: '--go 1.21' });
  assert.is(ok.code, 0, ok.log);
  assert.is(ok.outputs['exit-code'], '0');
  assert.equal(JSON.parse(readFileSync(path.join(clean, 'reports', 'result.sarif'), 'utf8')).runs[0].results, []);

  const bad = runAction(clean, { args: '--no-such-flag' });
  assert.is(bad.code, 2, 'a usage error fails the step at once');
});

test('.pre-commit-hooks.yaml: the hook entry with file names appended exits 1 on fixes, 0 when clean', () => {
  const text = readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8');
  assert.is(yamlScalar(text, 'id'), 'gomend');
  assert.is(yamlScalar(text, 'entry'), 'gomend --check');
  assert.is(yamlScalar(text, 'language'), 'node');
  assert.is(yamlScalar(text, 'types'), '[go]');
  assert.is(yamlScalar(text, 'pass_filenames'), 'true');
  const entry = yamlScalar(text, 'entry')!.split(/\s+/);
  assert.is(entry[0], 'gomend', 'the entry runs the package bin');
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.is(pkg.bin.gomend, 'bin/gomend.js', 'npm installs the bin pre-commit calls');

  // pre-commit runs: entry, then the hook's `args` from the user's config, then the file names.
  const hook = (cwd: string, args: string[], files: string[]) => run(process.execPath, [bin, ...entry.slice(1), ...args, ...files], { cwd });
  const dir = copyModule('mod');
  const files = goFiles(dir);
  const pending = hook(dir, ['--transform', esmTransform], files);
  assert.is(pending.code, 1, pending.stderr);
  assert.ok(pending.stdout.includes('+++ b/errs.go\n'), 'the hook shows the diff');
  const clean = copyModule('clean');
  assert.is(hook(clean, ['--transform', esmTransform], goFiles(clean)).code, 0);
  assert.is(hook(dir, ['--transform', esmTransform], ['replace.go']).code, 0, 'a staged file without findings passes');
});

test.run();
