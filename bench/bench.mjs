#!/usr/bin/env node
// gomend's benchmark: a dry run of every transform over a Go tree (default: Go's own source),
// compared in the same run with `ast-grep run -p 'go $F($$$A)' -l go` and `gofmt -l` over the same
// tree. Runs alternate between the tools; the report gives the median wall time, CPU time and peak
// RSS of each, and the ratios the targets are stated in. `gomend --cache` is the same dry run
// answered from a warm content-hash cache (an unchanged tree, as in CI re-runs); the cold row is
// the figure the targets are about.
//
// Two corpora by default: Go's own source (many packages), and the `server` package of
// nats-server (one package of 12 MB, where whole-package analysis costs the most). The second is
// taken from the Go module cache, downloaded there through the module proxy when missing
// (`go mod download`, as `go build` would fetch it).
//
//   npm run bench                       # GOROOT/src and nats-server's server package, 5 rounds each
//   npm run bench -- --corpus goroot    # one of them: goroot or nats
//   npm run bench -- --rounds 3 DIR     # another tree
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 5;
const corpusAt = args.indexOf('--corpus');
const only = corpusAt >= 0 ? args.splice(corpusAt, 2)[1] : undefined;
const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();

/** The nats-server release whose `server` package is the second corpus. */
const NATS = 'github.com/nats-io/nats-server/v2@v2.15.3';

/** The module's directory in the module cache (read-only there; gomend only reads it). */
function natsServer() {
  const r = spawnSync('go', ['mod', 'download', '-json', NATS], { encoding: 'utf8', cwd: os.tmpdir() });
  const info = (() => {
    try {
      return JSON.parse(r.stdout);
    } catch {
      return undefined;
    }
  })();
  if (r.status !== 0 || !info?.Dir) {
    console.error(`bench: could not get ${NATS} with \`go mod download\`: ${(info?.Error ?? r.stderr ?? '').trim()}`);
    process.exit(2);
  }
  return path.join(info.Dir, 'server');
}

const corpora = args[0]
  ? [path.resolve(args[0])]
  : [
      ...(only === undefined || only === 'goroot' ? [path.join(goroot, 'src')] : []),
      ...(only === undefined || only === 'nats' ? [natsServer()] : []),
    ];
if (corpora.length === 0) {
  console.error(`bench: --corpus is goroot or nats, not ${only}`);
  process.exit(2);
}
const timeBin = '/usr/bin/time';
if (!existsSync(timeBin)) {
  console.error('bench needs GNU time at /usr/bin/time (Debian package "time") to measure CPU and peak RSS');
  process.exit(2);
}

const gofmt = existsSync(path.join(goroot, 'bin', 'gofmt')) ? path.join(goroot, 'bin', 'gofmt') : 'gofmt';
const astGrep = path.join(root, 'node_modules', '.bin', 'ast-grep');

/** Counts .go files and bytes the way a reader of the tree would (no vendor/testdata pruning). */
function corpusSize(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && e.name.endsWith('.go')) {
        files++;
        bytes += statSync(full).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

function measure(tool) {
  const r = spawnSync(timeBin, ['-f', '%e %U %S %M', tool.cmd, ...tool.args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [wall, user, sys, rssKb] = last.split(' ').map(Number);
  if (!Number.isFinite(wall)) throw new Error(`${tool.name}: could not read timing from: ${last}`);
  return { wall, cpu: user + sys, rss: rssKb / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const cacheDirs = [];
process.on('exit', () => {
  for (const d of cacheDirs) rmSync(d, { recursive: true, force: true });
});

/** Measures every tool over one tree and prints its table. */
function bench(tree) {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'gomend-bench-cache-'));
  cacheDirs.push(cacheDir);
  const tools = [
    { name: 'gomend', cmd: process.execPath, args: [path.join(root, 'bin', 'gomend.js'), '-q', tree] },
    { name: 'gomend --cache', cmd: process.execPath, args: [path.join(root, 'bin', 'gomend.js'), '-q', '--cache-dir', cacheDir, tree] },
    { name: 'ast-grep', cmd: astGrep, args: ['run', '-p', 'go $F($$$A)', '-l', 'go', tree] },
    { name: 'gofmt -l', cmd: gofmt, args: ['-l', tree] },
  ];
  const size = corpusSize(tree);
  // gomend's own count of the files it reads (it skips vendor, testdata and ignored files).
  const scanned = spawnSync(process.execPath, [path.join(root, 'bin', 'gomend.js'), '--cache-dir', cacheDir, tree], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const gomendFiles = /(\d+) files scanned/.exec(scanned.stderr)?.[1] ?? '?';
  console.log(`\ncorpus: ${tree} — ${size.files} .go files, ${(size.bytes / 1e6).toFixed(1)} MB (gofmt and ast-grep read them all; gomend reads ${gomendFiles}, skipping testdata and vendor); ${rounds} alternating rounds\n`);

  // One untimed round warms the file cache for every tool alike (and gomend's --cache).
  for (const t of tools) measure(t);
  const samples = Object.fromEntries(tools.map((t) => [t.name, []]));
  for (let i = 0; i < rounds; i++) for (const t of tools) samples[t.name].push(measure(t));

  const rows = tools.map((t) => {
    const s = samples[t.name];
    return { tool: t.name, wall: median(s.map((x) => x.wall)), cpu: median(s.map((x) => x.cpu)), rss: median(s.map((x) => x.rss)), peak: Math.max(...s.map((x) => x.rss)) };
  });
  console.log('tool              wall s   cpu s   median RSS MB   peak RSS MB');
  for (const r of rows) {
    console.log(`${r.tool.padEnd(16)} ${r.wall.toFixed(2).padStart(7)} ${r.cpu.toFixed(2).padStart(7)} ${r.rss.toFixed(0).padStart(15)} ${r.peak.toFixed(0).padStart(13)}`);
  }
  const [g, w, a, f] = rows;
  console.log(`\ngomend / ast-grep wall: ${(g.wall / a.wall).toFixed(2)} cold, ${(w.wall / a.wall).toFixed(2)} cached (target ≤ 0.5)`);
  console.log(`gomend / gofmt -l wall: ${(g.wall / f.wall).toFixed(2)} cold, ${(w.wall / f.wall).toFixed(2)} cached (target ≤ 1)`);
  console.log(`gomend peak RSS: ${g.peak.toFixed(0)} MB cold, ${w.peak.toFixed(0)} MB cached (target ≤ 300)`);
}

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
for (const tree of corpora) bench(tree);
