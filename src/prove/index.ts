/**
 * `--prove`: every package with a fix is vetted and tested with the race detector before and after
 * its fixes, in scratch copies of its module, and fixes that break what passed are withheld.
 *
 * It works after planning and before writing, on the driver's results, so every mode shares it:
 * the dry run and `--check` show only what `--write` would write, `--write` leaves a withheld
 * package's files as they are, and interactive mode proves each package before writing it. A
 * withheld package's files become `skipped` with the reason, a problem, so the exit code is 3.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, constants } from 'node:os';
import path from 'node:path';
import type { Colors } from '../color.js';
import { displayPath } from '../results.js';
import type { FileResult, RunResult } from '../results.js';
import { UsageError } from '../files.js';
import { encodeSource } from '../source.js';
import { classifyTest, firstLines, newReports, vetReports, withholdReason } from './outcome.js';
import type { Outcome, Proof } from './outcome.js';
import { goEnv, runPackage, stopAll } from './run.js';
import type { PackageRun } from './run.js';
import { moduleRoot, Scratch } from './scratch.js';

export type { Outcome, Proof } from './outcome.js';
export { absoluteReplaces } from './scratch.js';

/** The command-line options of `--prove`, for yargs. */
export const proveFlags = {
  prove: { type: 'boolean', describe: "run each fixed package's go vet and go test -race before and after its fixes (in a scratch copy); withhold fixes that break them" },
  'prove-timeout': { type: 'string', describe: 'time limit of each package\'s test run under --prove (default 5m)' },
  'prove-args': { type: 'string', describe: 'more go test flags under --prove, e.g. "-run TestX -short"' },
} as const;

export interface ProveArgs {
  prove?: boolean;
  'prove-timeout'?: string;
  'prove-args'?: string;
  jobs?: number;
}

/** A Go duration of the simple kinds (`90s`, `5m`, `1h`, `500ms`) or bare seconds, in milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = Number(m[1]) * unit;
  return ms > 0 ? ms : undefined;
}

/** Throws a UsageError unless the go command runs. */
function requireGo(): void {
  const r = spawnSync('go', ['version'], { env: goEnv(), encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    const why = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ? 'the go command is not on PATH' : `\`go version\` failed: ${(r.stderr || String(r.error)).trim()}`;
    throw new UsageError(`--prove runs the package's tests with go, but ${why}; install Go or run without --prove`);
  }
}

/** Runs `fn` over `items` with at most `limit` at once, keeping order of results. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What the outcomes mean for the fixes, in words, for the report line. */
function verdict(p: Proof): string {
  const fixes = plural(p.fixes, 'fix', 'fixes');
  if (p.withheld) return `${fixes} withheld: ${p.withheld}`;
  if (p.after === 'race') return `race remains (${fixes} kept)`;
  if (p.before === 'no-tests' || p.after === 'no-tests') return `no tests: nothing proved for ${fixes}; write a test that exercises this package`;
  if (p.before === 'build-error') return `nothing proved for ${fixes}: the package does not build before the fixes`;
  if (p.before === 'timeout') return `nothing proved for ${fixes}: the tests time out before the fixes`;
  if (p.before === 'race' && p.after === 'pass') return `${fixes} proved`;
  if (p.before === 'fail') return `${fixes} kept: no test that passed before fails after (nothing proved)`;
  return `${fixes} kept: the tests pass before and after`;
}

/** The stderr lines of the proofs. */
export function renderProofs(proofs: Proof[], colors: Colors): string {
  const lines: string[] = [];
  for (const p of proofs) {
    const color = p.withheld ? colors.red : p.after === 'race' || p.after === 'no-tests' || p.before !== 'race' ? colors.yellow : colors.green;
    lines.push(`${p.package}: ${p.before} before, ${p.after} after: ${color(verdict(p))} (${p.seconds.toFixed(1)}s)`);
    for (const l of p.output ?? []) lines.push(`    ${l}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** The closing line of `--prove`: how many packages came out how, and how long it took. */
export function proveSummary(prover: Prover): string {
  const p = prover.proofs;
  if (p.length === 0) return 'gomend: --prove: no fixes, nothing to prove\n';
  const count = (f: (x: Proof) => boolean) => p.filter(f).length;
  const parts = [
    `${count((x) => x.before === 'race' && x.after === 'pass')} race fixed`,
    `${count((x) => !!x.withheld)} withheld`,
    `${count((x) => !x.withheld && x.after === 'race')} race remains`,
    `${count((x) => x.before === 'no-tests' || x.after === 'no-tests')} without tests`,
  ];
  return `gomend: --prove: ${plural(p.length, 'package', 'packages')} tested (${parts.join(', ')}) in ${prover.seconds.toFixed(1)}s\n`;
}

/** A started `--prove`: checks packages' fixes against their tests, one batch of files at a time. */
export class Prover {
  private readonly scratch = new Scratch();
  readonly proofs: Proof[] = [];
  /** Wall-clock seconds spent proving, over every `check`. */
  seconds = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly extra: string[],
    private readonly jobs: number,
    private readonly cwd: string,
  ) {}

  /**
   * Proves the packages of the changed files among `files`: their fixes are tried in the scratch
   * copies, and the files of a package whose fixes are withheld become `skipped` problems. The copy
   * of the tree before the fixes then takes the fixes that stay, so that later packages (in
   * interactive mode) are tried against what will be on disk.
   */
  async check(files: FileResult[]): Promise<Proof[]> {
    const started = performance.now();
    const byDir = new Map<string, FileResult[]>();
    for (const f of files) {
      if (f.status !== 'changed' || f.after === undefined || !f.original || !f.shape) continue;
      const dir = path.dirname(f.absPath);
      byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
    }
    const packages = [...byDir].map(([dir, members]) => {
      const root = moduleRoot(dir);
      if (!root) throw new UsageError(`${displayPath(this.cwd, dir) || '.'}: not inside a Go module (no go.mod above it); --prove needs a module to run the tests in`);
      const mod = this.scratch.module(root);
      for (const f of members) this.scratch.put(root, 'after', f.absPath, encodeSource(f.after!, f.shape!));
      const rel = path.relative(root, dir).split(path.sep).join('/');
      return { dir, root, mod, members, rel: rel ? `./${rel}` : '.', importPath: rel ? `${mod.path}/${rel}` : mod.path };
    });
    // Nothing is written while the tests run, so an interrupt may end the run here, once the go
    // commands (in process groups of their own, out of the terminal's reach) and the copies are gone.
    const onSignal = (sig: NodeJS.Signals) => {
      stopAll();
      this.dispose();
      process.stderr.write(`gomend: interrupted by ${sig} while running the tests; nothing more written\n`);
      process.exit(128 + (constants.signals[sig] ?? 15));
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const s of signals) process.on(s, onSignal);
    // A package's two sides run one after the other: the second then finds the dependencies built
    // (with -race, and for vet) in the build cache, where side by side both would build them.
    const runs = await mapLimit(packages, this.jobs, async (p) => {
      const before = await runPackage(p.mod.before, p.rel, this.timeoutMs, this.extra);
      return [before, await runPackage(p.mod.after, p.rel, this.timeoutMs, this.extra)];
    }).finally(() => {
      for (const s of signals) process.off(s, onSignal);
    });
    const proofs = packages.map((p, i) => this.judge(p.importPath, p.dir, p.members, runs[i][0], runs[i][1]));
    packages.forEach((p, i) => {
      const withheld = proofs[i].withheld;
      for (const f of p.members) {
        if (withheld) {
          this.scratch.put(p.root, 'after', f.absPath, f.original!);
          Object.assign(f, { status: 'skipped', reason: `withheld by --prove: ${withheld}`, problem: true });
          for (const x of f.findings) if (x.fixable && !x.notApplied) x.notApplied = 'withheld by --prove';
        } else {
          this.scratch.put(p.root, 'before', f.absPath, encodeSource(f.after!, f.shape!));
        }
      }
    });
    this.proofs.push(...proofs);
    this.seconds += (performance.now() - started) / 1000;
    return proofs;
  }

  private judge(importPath: string, dir: string, members: FileResult[], before: PackageRun, after: PackageRun): Proof {
    const b = classifyTest(before.test);
    const a = classifyTest(after.test);
    const vetGained = a === 'build-error' ? [] : newReports(vetReports(before.vet), vetReports(after.vet));
    const withheld = withholdReason(b, a, before.test.output, after.test.output, vetGained);
    const fixes = members.reduce((n, f) => n + f.findings.filter((x) => x.fixable && !x.notApplied).length, 0);
    const proof: Proof = { package: importPath, dir: displayPath(this.cwd, dir) || '.', before: b, after: a, fixes, seconds: Number((before.seconds + after.seconds).toFixed(1)) };
    if (withheld) {
      proof.withheld = withheld;
      proof.output = vetGained.length && !/^(fail|build-error|timeout)$/.test(a) ? vetGained.slice(0, 12) : firstLines(after.test.output);
    }
    return proof;
  }

  dispose(): void {
    this.scratch.dispose();
  }
}

/** Starts `--prove` when asked: checks the flags and that go runs (UsageError otherwise). */
export function openProver(args: ProveArgs, cwd = process.cwd()): Prover | undefined {
  if (!args.prove) {
    if (args['prove-timeout'] !== undefined || args['prove-args'] !== undefined) throw new UsageError('--prove-timeout and --prove-args need --prove');
    return undefined;
  }
  const timeout = parseDuration(args['prove-timeout'] ?? '5m');
  if (timeout === undefined) throw new UsageError(`--prove-timeout ${args['prove-timeout']}: expected a duration like 90s or 5m`);
  const extra = (args['prove-args'] ?? '').split(/\s+/).filter(Boolean);
  requireGo();
  return new Prover(timeout, extra, Math.max(1, args.jobs ?? availableParallelism()), cwd);
}

/**
 * Proves the changed files of a batch run (dry run, `--check`, `--write`, JSON, SARIF): withholds
 * what breaks the tests, prints a line per package on `stderr`, and adds the proofs to `result`.
 */
export async function proveResult(prover: Prover, result: RunResult, stderr: NodeJS.WritableStream, colors: Colors): Promise<void> {
  try {
    await prover.check(result.files);
  } finally {
    prover.dispose();
  }
  result.proofs = prover.proofs;
  result.summary.changed = result.files.filter((f) => f.status === 'changed').length;
  result.summary.skipped = result.files.filter((f) => f.status === 'skipped').length;
  result.summary.fixes -= prover.proofs.reduce((n, p) => n + (p.withheld ? p.fixes : 0), 0);
  stderr.write(renderProofs(prover.proofs, colors));
  stderr.write(proveSummary(prover));
}
