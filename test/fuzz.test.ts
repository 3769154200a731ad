/**
 * Fuzzing the whole CLI: random truncations and byte mutations of real Go files (the fixture
 * inputs, which the built-in transforms do fix, and a few files of Go's standard library) must
 * never crash gomend, and every file it writes must be valid UTF-8, parse with tree-sitter and be
 * accepted by gofmt. Each run rewrites a module of mutated packages with `--write`, running every
 * built-in transform and the mark-go test transform.
 *
 * The generator is seeded, so a failure can be replayed: GOMEND_FUZZ_SEED picks the seed (the
 * default changes nothing between runs) and GOMEND_FUZZ_RUNS the number of CLI runs. A failing
 * input is kept in a temporary folder whose path the failure names.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { countSyntaxErrors, initParser, parseGo } from '../src/parse.js';
import { transforms as builtins } from '../transforms/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'gomend.js');
const markGo = path.join(root, 'test', 'data', 'reliability', 'mark-go.mjs');
const seed = Number(process.env.GOMEND_FUZZ_SEED ?? 20261121);
const runs = Number(process.env.GOMEND_FUZZ_RUNS ?? 14);
const packagesPerRun = 20;
const gofmtBin = spawnSync('gofmt', ['-l'], { input: '' }).status === 0 ? 'gofmt' : undefined;

const test = suite('fuzz');

test.before(async () => {
  await initParser();
});

/** mulberry32: a small, fast, seedable generator; the same seed gives the same inputs anywhere. */
function prng(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Real Go files to mutate: fixture inputs (the transforms fix these) and some stdlib files. */
function corpus(): { name: string; bytes: Buffer }[] {
  const out: { name: string; bytes: Buffer }[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.input.go') && statSync(full).size < 40_000) out.push({ name: path.relative(root, full), bytes: readFileSync(full) });
    }
  };
  walk(path.join(root, 'fixtures'));
  const goroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout?.trim() || '/usr/local/go';
  for (const rel of ['src/sync/mutex.go', 'src/sync/waitgroup.go', 'src/sync/once.go', 'src/context/context.go', 'src/net/http/fcgi/child.go', 'src/expvar/expvar.go', 'src/os/exec/exec.go']) {
    const full = path.join(goroot, rel);
    if (existsSync(full)) out.push({ name: rel, bytes: readFileSync(full) });
  }
  return out;
}

const tokens = ['{', '}', '(', ')', '[', ']', '"', '`', "'", '/*', '*/', '//', '\n', '\r\n', '\r', '\t', ';', ':=', ',', '.', 'go ', 'defer ', 'func ', 'map[string]any{}', '//gomend:ignore\n', '\uFEFF', 'é', '🎉', '\u200b', 'package q\n', '\x00', '\xff', '\xc3', '\n\n', '/* ü 🎉 */ ', '// 🎉 note\n', ' '];

/** One random change to `b`, and a word for it (for the failure message). */
function mutate(b: Buffer, rand: () => number): { bytes: Buffer; what: string } {
  const at = Math.floor(rand() * (b.length + 1));
  const pick = Math.floor(rand() * 7);
  switch (pick) {
    case 0:
      return { bytes: b.subarray(0, at), what: `truncate at ${at}` };
    case 1: {
      const c = Buffer.from(b);
      if (c.length) c[Math.min(at, c.length - 1)] = Math.floor(rand() * 256);
      return { bytes: c, what: `set byte ${at}` };
    }
    case 2: {
      const tok = tokens[Math.floor(rand() * tokens.length)];
      const raw = tok === '\xff' || tok === '\xc3' ? Buffer.from([tok.charCodeAt(0)]) : Buffer.from(tok);
      return { bytes: Buffer.concat([b.subarray(0, at), raw, b.subarray(at)]), what: `insert ${JSON.stringify(tok)} at ${at}` };
    }
    case 3: {
      const n = Math.floor(rand() * 200);
      return { bytes: Buffer.concat([b.subarray(0, at), b.subarray(at + n)]), what: `delete ${n} at ${at}` };
    }
    case 4: {
      const n = Math.floor(rand() * 300);
      return { bytes: Buffer.concat([b.subarray(0, at + n), b.subarray(at, at + n), b.subarray(at + n)]), what: `duplicate ${n} at ${at}` };
    }
    case 5:
      return { bytes: Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'), what: 'CRLF' };
    default: {
      const lines = b.toString('latin1').split('\n');
      const i = Math.floor(rand() * lines.length);
      const j = Math.floor(rand() * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return { bytes: Buffer.from(lines.join('\n'), 'latin1'), what: `swap lines ${i + 1} and ${j + 1}` };
    }
  }
}

function syntaxErrors(text: string): number {
  const tree = parseGo(text);
  try {
    return countSyntaxErrors(tree.rootNode);
  } finally {
    tree.delete();
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
delete env.FORCE_COLOR;

test(`mutated Go files never crash gomend nor make it write a broken file (seed ${seed}, ${runs} runs)`, () => {
  const inputs = corpus();
  assert.ok(inputs.length > 5, 'no corpus');
  const rand = prng(seed);
  const transformList = [...builtins.map((t) => t.name), markGo].join(',');
  let files = 0;
  let written = 0;
  let skipped = 0;
  for (let run = 0; run < runs; run++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-fuzz-'));
    writeFileSync(path.join(dir, 'go.mod'), 'module example.com/fuzz\n\ngo 1.22\n');
    const made = new Map<string, { bytes: Buffer; what: string }>();
    for (let p = 0; p < packagesPerRun; p++) {
      mkdirSync(path.join(dir, `p${p}`));
      for (let k = 0; k < 2; k++) {
        const src = inputs[Math.floor(rand() * inputs.length)];
        let bytes = src.bytes;
        const steps: string[] = [];
        for (let m = 1 + Math.floor(rand() * 2); m > 0; m--) {
          const r = mutate(bytes, rand);
          bytes = r.bytes;
          steps.push(r.what);
        }
        const name = `p${p}/f${k}.go`;
        writeFileSync(path.join(dir, name), bytes);
        made.set(name, { bytes, what: `${src.name}: ${steps.join(', ')}` });
      }
    }
    const r = spawnSync(process.execPath, [bin, dir, `--transform=${transformList}`, '--write', '--quiet'], { encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 26, env });
    const where = `run ${run} of seed ${seed}; inputs kept in ${dir}`;
    assert.not.match(r.stderr ?? '', /internal error/, `gomend crashed (${where}):\n${r.stderr}`);
    assert.ok(r.status === 0 || r.status === 3, `exit ${r.status}, signal ${r.signal} (${where}):\n${r.stderr}`);
    for (const [name, input] of made) {
      files++;
      const now = readFileSync(path.join(dir, name));
      if (now.equals(input.bytes)) {
        if (new RegExp(`${name.replace('/', '\\/')}(:\\d+:\\d+)?: (skipped|error)`).test(r.stderr)) skipped++;
        continue;
      }
      written++;
      let text = '';
      try {
        text = utf8.decode(now);
      } catch {
        assert.unreachable(`${name} was written as invalid UTF-8 (${input.what}; ${where})`);
      }
      // Valid Go tree-sitter cannot read in part (gofmt accepts it) may be written outside that part,
      // never with more that tree-sitter cannot read.
      const before = syntaxErrors(utf8.decode(input.bytes).replace(/^\uFEFF/, ''));
      assert.ok(syntaxErrors(text.replace(/^\uFEFF/, '')) <= before, `${name} was written but does not parse (${input.what}; ${where})`);
      assert.ok(before === 0 || gofmtBin, `${name} does not parse and was written without gofmt to judge it (${input.what}; ${where})`);
      if (gofmtBin) {
        const g = spawnSync(gofmtBin, ['-e', path.join(dir, name)], { encoding: 'utf8' });
        assert.is(g.status, 0, `${name} was written but gofmt rejects it (${input.what}; ${where}):\n${g.stderr}`);
      }
    }
    const leftovers = readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.gomend-.*\.tmp$/.test(f));
    assert.equal(leftovers, [], `temporary files left (${where})`);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`  fuzz: ${files} mutated files, ${written} rewritten (all parse), ${skipped} skipped with a reason`);
});

test.run();
