#!/usr/bin/env node
// Batch-rewrites a copy of Go's own source tree with every built-in transform plus the mark-go test
// transform (many fixes that compile), then checks what gomend promises: every changed file parses
// (tree-sitter, no ERROR node) and is accepted by gofmt, is gofmt-clean where the original was,
// every file not reported as changed is byte-identical, no temporary file is left, and a second run
// finds nothing to change. Prints the figures: files, changed, fixes, time, peak RSS.
//
//   npm run build && node scripts/stdlib-check.mjs            # the whole of $(go env GOROOT)/src
//   node scripts/stdlib-check.mjs sync net/http               # some packages (with their subfolders)
//   node scripts/stdlib-check.mjs --goroot /opt/go --keep     # keep the rewritten copy to look at
//   node scripts/stdlib-check.mjs --transform any-map-split   # only these transforms (comma-separated)
//
// Exit code 0 when every check holds, 1 when one does not. test/stdlib.test.ts runs the same
// check on a few packages as part of the test suite.
import { spawnSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'gomend.js');
const markGo = path.join(root, 'test', 'data', 'reliability', 'mark-go.mjs');

/** Every .go file under `dir` (relative paths), as gofmt would see them, testdata included. */
function goFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.go'))
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .sort();
}

const hash = (bytes) => createHash('sha1').update(bytes).digest('hex');

/** Files gofmt would reformat, and files it cannot parse, under `paths` (relative to `cwd`). */
function gofmtList(gofmt, cwd, paths) {
  const unclean = new Set();
  const rejected = new Map();
  for (let i = 0; i < paths.length; i += 500) {
    const chunk = paths.slice(i, i + 500);
    const r = spawnSync(gofmt, ['-l', ...chunk], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
    for (const line of r.stdout.split('\n')) if (line) unclean.add(path.normalize(line));
    for (const line of r.stderr.split('\n')) {
      const m = /^(.+?\.go):\d+:\d+: (.*)$/.exec(line);
      if (m) rejected.set(path.normalize(m[1]), m[2]);
    }
  }
  return { unclean, rejected };
}

/** Runs the CLI, measuring wall time and (with GNU time) the peak resident set size. */
function runGomend(args, cwd) {
  return new Promise((resolve) => {
    const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
    const rssFile = path.join(os.tmpdir(), `gomend-rss-${process.pid}-${Date.now()}`);
    const cmd = timeBin ?? process.execPath;
    const argv = timeBin ? ['-f', '%M', '-o', rssFile, process.execPath, bin, ...args] : [bin, ...args];
    const env = { ...process.env, NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    const started = performance.now();
    const child = spawn(cmd, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('close', (code) => {
      let rssMB;
      if (timeBin && existsSync(rssFile)) {
        const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
        if (kb) rssMB = Math.round(kb / 1024);
        rmSync(rssFile, { force: true });
      }
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), seconds: (performance.now() - started) / 1000, rssMB });
    });
  });
}

/**
 * Copies `packages` (folders under GOROOT/src; all of it when empty) to a temporary folder, runs
 * gomend --write there and checks the result. Returns the figures and the list of violations.
 */
export async function checkTree({ goroot, packages = [], keep = false, only, log = () => {} } = {}) {
  const gorootDir = goroot ?? spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout?.trim() ?? '/usr/local/go';
  const src = path.join(gorootDir, 'src');
  const gofmt = [path.join(gorootDir, 'bin', 'gofmt'), 'gofmt'].find((g) => spawnSync(g, ['-l'], { input: '' }).status === 0);
  if (!gofmt) throw new Error('gofmt not found');
  const { initParser, parseGo, countSyntaxErrors } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'parse.js')).href);
  const { transforms } = await import(pathToFileURL(path.join(root, 'dist', 'transforms', 'index.js')).href);
  await initParser();

  const work = mkdtempSync(path.join(os.tmpdir(), 'gomend-stdlib-'));
  const copy = path.join(work, 'src');
  mkdirSync(copy);
  cpSync(path.join(src, 'go.mod'), path.join(copy, 'go.mod'));
  for (const p of packages.length ? packages : readdirSync(src)) {
    const from = path.join(src, p);
    if (!existsSync(from)) throw new Error(`${p}: not under ${src}`);
    cpSync(from, path.join(copy, p), { recursive: true });
  }
  const files = goFiles(copy);
  const before = new Map(files.map((f) => [f, hash(readFileSync(path.join(copy, f)))]));
  log(`copied ${files.length} .go files to ${copy}`);
  const fmtBefore = gofmtList(gofmt, copy, files);

  const transformList = only ?? [...transforms.map((t) => t.name), markGo].join(',');
  const first = await runGomend([copy, `--transform=${transformList}`, '--write', '--format=json'], work);
  const violations = [];
  if (first.code !== 0 && first.code !== 3) violations.push(`gomend --write exited ${first.code}: ${first.stderr.slice(-2000)}`);
  let report = { summary: {}, files: [] };
  try {
    report = JSON.parse(first.stdout);
  } catch {
    violations.push(`no JSON report from gomend --write: ${first.stderr.slice(-2000)}`);
  }
  const abs = (p) => path.relative(copy, path.resolve(work, p));
  const reported = new Map(report.files.map((f) => [abs(f.path), f]));

  const changed = [];
  for (const f of files) {
    const bytes = readFileSync(path.join(copy, f));
    if (hash(bytes) === before.get(f)) {
      if (reported.get(f)?.status === 'changed') violations.push(`${f}: reported as changed but not written`);
      continue;
    }
    changed.push(f);
    if (reported.get(f)?.status !== 'changed') violations.push(`${f}: changed on disk but not reported as changed`);
    const tree = parseGo(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    if (countSyntaxErrors(tree.rootNode) > 0) violations.push(`${f}: does not parse after the rewrite`);
    tree.delete();
  }
  const fmtAfter = gofmtList(gofmt, copy, changed);
  for (const f of changed) {
    if (fmtAfter.rejected.has(f)) violations.push(`${f}: gofmt rejects the rewrite: ${fmtAfter.rejected.get(f)}`);
    else if (fmtAfter.unclean.has(f) && !fmtBefore.unclean.has(f) && !fmtBefore.rejected.has(f)) violations.push(`${f}: not gofmt-clean after the rewrite, though it was before`);
  }
  const temps = readdirSync(copy, { recursive: true }).map(String).filter((f) => /(^|\/)\.[^/]*\.gomend-[^/]*\.tmp$/.test(f));
  for (const t of temps) violations.push(`${t}: temporary file left behind`);

  const second = await runGomend([copy, `--transform=${transformList}`, '--check', '--format=json'], work);
  let again = { summary: {} };
  try {
    again = JSON.parse(second.stdout);
  } catch {
    violations.push(`no JSON report from the second run: ${second.stderr.slice(-2000)}`);
  }
  if (again.summary.changed !== 0) {
    const still = (again.files ?? []).filter((f) => f.status === 'changed').map((f) => abs(f.path));
    violations.push(`a second run would still change ${again.summary.changed} file(s): ${still.slice(0, 20).join(', ')}`);
  }

  const byStatus = (status) => report.files.filter((f) => f.status === status);
  const result = {
    copy,
    files: files.length,
    scanned: report.summary.files,
    changed: changed.length,
    fixes: report.summary.fixes,
    findings: report.summary.findings,
    skipped: byStatus('skipped').map((f) => `${abs(f.path)}: ${f.reason}`),
    errors: byStatus('error').map((f) => `${abs(f.path)}: ${f.reason}`),
    byTransform: countByTransform(report.files),
    seconds: first.seconds,
    rssMB: first.rssMB,
    secondSeconds: second.seconds,
    secondRssMB: second.rssMB,
    exitCode: first.code,
    violations,
  };
  if (!keep) rmSync(work, { recursive: true, force: true });
  return result;
}

function countByTransform(files) {
  const counts = {};
  for (const f of files) if (f.status === 'changed') for (const t of f.transforms ?? []) counts[t] = (counts[t] ?? 0) + 1;
  return counts;
}

/** The figures as lines of text. */
export function describe(r) {
  const lines = [
    `files: ${r.files} .go files copied, ${r.scanned} scanned, ${r.changed} changed (${Object.entries(r.byTransform).map(([t, n]) => `${t} ${n}`).join(', ') || 'none'}), ${r.fixes} fixes, ${r.findings} findings`,
    `first run (--write): ${r.seconds.toFixed(1)} s, peak RSS ${r.rssMB ?? '?'} MB, exit ${r.exitCode}`,
    `second run (--check): ${r.secondSeconds.toFixed(1)} s, peak RSS ${r.secondRssMB ?? '?'} MB`,
    `skipped: ${r.skipped.length}`,
    ...r.skipped.filter((s) => !s.endsWith(': generated file')).map((s) => `  ${s}`),
    `errors (rolled back): ${r.errors.length}`,
    ...r.errors.map((s) => `  ${s}`),
    `violations: ${r.violations.length}`,
    ...r.violations.map((s) => `  ${s}`),
  ];
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opts = { packages: [], keep: false, log: (s) => console.error(s) };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--keep') opts.keep = true;
    else if (args[i] === '--goroot') opts.goroot = args[++i];
    else if (args[i] === '--transform') opts.only = args[++i];
    else opts.packages.push(args[i]);
  }
  const r = await checkTree(opts);
  console.log(describe(r));
  if (opts.keep) console.log(`the rewritten copy is in ${r.copy}`);
  process.exitCode = r.violations.length ? 1 : 0;
}
