/**
 * End to end on the module the README previews: the race detector fails on examples/batch as
 * shipped; after `gomend --write` with every built-in transform, `go vet` and `go test -race`
 * pass, and a second run (`--check`) finds nothing left to do.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from './fixture-cases.js';

const test = suite('examples');
const bin = path.join(repoRoot, 'bin', 'gomend.js');
const goEnv = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', NO_COLOR: '1' };

function go(dir: string, args: string[]): { ok: boolean; output: string } {
  const r = spawnSync('go', args, { cwd: dir, env: goEnv, encoding: 'utf8', timeout: 240_000 });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

test('examples/batch: races before, none after gomend --write, then idempotent', () => {
  if (process.env.GOMEND_SKIP_GO) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-example-'));
  try {
    cpSync(path.join(repoRoot, 'examples', 'batch'), dir, { recursive: true });
    assert.ok(go(dir, ['vet', '.']).ok, 'go vet fails on the example as shipped');
    const before = go(dir, ['test', '-race', '-count=1', '.']);
    assert.not.ok(before.ok, 'the example is meant to race before the fix');
    assert.match(before.output, /DATA RACE|concurrent map/);

    const w = spawnSync(process.execPath, [bin, '--write', '.'], { cwd: dir, encoding: 'utf8', env: goEnv });
    assert.is(w.status, 0, w.stderr);
    assert.match(w.stderr, /4 files scanned, 3 changed/);

    const vet = go(dir, ['vet', '.']);
    assert.ok(vet.ok, `go vet after gomend:\n${vet.output}`);
    const after = go(dir, ['test', '-race', '-count=1', '.']);
    assert.ok(after.ok, `go test -race after gomend:\n${after.output}\n${readFileSync(path.join(dir, 'batch.go'), 'utf8')}`);

    const check = spawnSync(process.execPath, [bin, '--check', '.'], { cwd: dir, encoding: 'utf8', env: goEnv });
    assert.is(check.status, 0, `a second run still has fixes:\n${check.stdout}`);
    assert.is(execFileSync('gofmt', ['-l', dir], { encoding: 'utf8' }), '', 'gofmt -l lists files gomend wrote');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
