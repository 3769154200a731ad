/**
 * What one `go vet` and `go test -race` run of a package says, in one word, and whether a package's
 * fixes must be withheld given its outcomes before and after them.
 */

export type Outcome = 'pass' | 'fail' | 'race' | 'no-tests' | 'build-error' | 'timeout';

/** One package's proof, as JSON reports it. */
export interface Proof {
  /** The import path. */
  package: string;
  /** The package's directory, relative to the working directory (`.` for itself). */
  dir: string;
  before: Outcome;
  after: Outcome;
  fixes: number;
  /** Wall-clock seconds of the package's four go commands (vet and test, before and after). */
  seconds: number;
  /** Why the fixes were withheld, when they were. */
  withheld?: string;
  /** The first lines of the failing run after the fixes, when they were withheld. */
  output?: string[];
}

/** What a finished (or stopped) go command left behind. */
export interface Ran {
  /** The exit code; null when the process was killed. */
  code: number | null;
  output: string;
  /** True when gomend stopped it at its time limit. */
  killed?: boolean;
}

/** Outcomes after which a package's fixes are withheld, unless the package was already so before. */
const BAD: ReadonlySet<Outcome> = new Set(['fail', 'build-error', 'timeout']);

/**
 * The outcome of `go test -race -count=1 <one package>`. The race detector's report (`WARNING: DATA
 * RACE`) and the runtime's concurrent-map faults are `race` even though the test also fails; a test
 * binary that ran out of its `-timeout`, or a run gomend stopped, is `timeout`.
 */
export function classifyTest(run: Ran): Outcome {
  const out = run.output;
  if (run.killed || /^panic: test timed out after /m.test(out)) return 'timeout';
  if (/^WARNING: DATA RACE$/m.test(out) || /^fatal error: concurrent map (read and map write|writes|iteration and map write|clone and map write)/m.test(out)) return 'race';
  if (/\[(build|setup) failed\]/.test(out)) return 'build-error';
  if (run.code === 0) return /\[no test files\]|\[no tests to run\]/.test(out) ? 'no-tests' : 'pass';
  // The go command failed before any test binary ran (a go.mod it cannot use, a missing module).
  if (!/^(--- FAIL|FAIL\s|panic: |ok\s)/m.test(out)) return 'build-error';
  return 'fail';
}

/**
 * The reports of `go vet`, as `file: message` without line and column (a fix moves lines), so the
 * reports before and after a fix can be compared. Type errors of a package that does not compile
 * are left out: the test outcome says `build-error` for those.
 */
export function vetReports(run: Ran): string[] {
  if (run.code === 0) return [];
  const out: string[] = [];
  for (const line of run.output.split('\n')) {
    if (line.startsWith('vet: ')) continue; // vet could not type-check the package
    const m = /^(?:\.\/)?([^\s:]+\.go):\d+(?::\d+)?: (.*)$/.exec(line);
    if (m) out.push(`${m[1]}: ${m[2]}`);
  }
  return out;
}

/** The reports of `after` that `before` does not have (as multisets). */
export function newReports(before: string[], after: string[]): string[] {
  const left = new Map<string, number>();
  for (const r of before) left.set(r, (left.get(r) ?? 0) + 1);
  const gained: string[] = [];
  for (const r of after) {
    const n = left.get(r) ?? 0;
    if (n > 0) left.set(r, n - 1);
    else gained.push(r);
  }
  return gained;
}

/** The names of the tests that failed (`--- FAIL: TestX`), subtests included. */
export function failedTests(output: string): string[] {
  return [...output.matchAll(/^\s*--- FAIL: (\S+)/gm)].map((m) => m[1]);
}

/**
 * Why a package's fixes must be withheld, or undefined when they may be written: the tests fail,
 * do not build or time out after the fixes when they did not before (or, failing before too, a test
 * fails that passed before), or `go vet` reports something it did not. A race that remains is not a
 * reason: the fixes did not make it.
 */
export function withholdReason(before: Outcome, after: Outcome, beforeOutput: string, afterOutput: string, vetGained: string[]): string | undefined {
  if (BAD.has(after)) {
    if (before !== after) return `the tests ${after === 'fail' ? 'fail' : after === 'timeout' ? 'time out' : 'do not build'} after the fixes (before them: ${before})`;
    if (after === 'fail') {
      const known = new Set(failedTests(beforeOutput));
      const fresh = failedTests(afterOutput).filter((t) => !known.has(t));
      if (fresh.length) return `tests that passed before fail after the fixes: ${fresh.join(', ')}`;
    }
  }
  if (vetGained.length) return `go vet reports what it did not before: ${vetGained[0]}${vetGained.length > 1 ? ` (and ${vetGained.length - 1} more)` : ''}`;
  return undefined;
}

/**
 * The first lines worth showing of a failed run: from the first failing test (or the first
 * compiler or panic line) on, at most `max` lines.
 */
export function firstLines(output: string, max = 12): string[] {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  let start = lines.findIndex((l) => /^\s*--- FAIL|^panic: |^# /.test(l));
  if (start < 0) start = 0;
  return lines.slice(start, start + max);
}
