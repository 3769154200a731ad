/**
 * Runs `go vet` and `go test -race -count=1` on one package of a scratch copy, bounded in time.
 *
 * `GOWORK=off` makes the copy's go.mod the only one that counts; the build cache is the user's
 * (GOCACHE as it is), so a package compiled once is not compiled again. The test binary gets the
 * time limit as `go test -timeout`, which ends a hung test with a report of where it hung and does
 * not count compile time; the whole go command is also stopped at twice the limit plus two minutes,
 * in case the build itself hangs.
 */
import { spawn } from 'node:child_process';
import type { Ran } from './outcome.js';

/** The environment of every go command gomend runs. */
export function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOWORK: 'off' };
}

/** The go commands running now, each the leader of its own process group. */
const running = new Set<import('node:child_process').ChildProcess>();

/** Kills a go command and what it started (the test binary). */
function killGroup(child: import('node:child_process').ChildProcess): void {
  try {
    if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Kills every go command still running. They run in process groups of their own (so that a time
 * limit ends the test binary too), which a Ctrl-C in the terminal does not reach: gomend calls this
 * when it is interrupted.
 */
export function stopAll(): void {
  for (const child of running) killGroup(child);
}

/** Runs `go <args>` in `cwd`, stopping it (and what it started) after `limitMs`. */
export function runGo(args: string[], cwd: string, limitMs: number): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn('go', args, { cwd, env: goEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    const chunks: Buffer[] = [];
    let size = 0;
    const keep = (b: Buffer) => {
      // Keep the first 1 MB: enough to classify and to quote; a chatty test must not fill memory.
      if (size < 1 << 20) chunks.push(b);
      size += b.length;
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    running.add(child);
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      killGroup(child);
    }, limitMs);
    child.on('error', (err) => {
      running.delete(child);
      clearTimeout(timer);
      resolve({ code: null, output: `go: ${err.message}` });
    });
    child.on('close', (code) => {
      running.delete(child);
      clearTimeout(timer);
      resolve({ code, output: Buffer.concat(chunks).toString('utf8'), killed });
    });
  });
}

export interface PackageRun {
  vet: Ran;
  test: Ran;
  seconds: number;
}

/**
 * Vets and tests the package in `rel` (a `./`-relative directory) of the module copy at `root`.
 * `timeoutMs` bounds the test binary; `extra` is given to go test before the package (`-run`,
 * `-short`).
 */
export async function runPackage(root: string, rel: string, timeoutMs: number, extra: string[]): Promise<PackageRun> {
  const started = performance.now();
  const guard = 2 * timeoutMs + 120_000;
  const vet = await runGo(['vet', rel], root, guard);
  const test = await runGo(['test', '-race', '-count=1', `-timeout=${Math.max(1, Math.round(timeoutMs))}ms`, ...extra, rel], root, guard);
  return { vet, test, seconds: (performance.now() - started) / 1000 };
}
