/**
 * Interactive per-fix approval (`gomend -i`), with the keys of `git add -p`.
 *
 * It is the batch pipeline with a person answering, through a sink (sinks/sink.ts): the driver
 * offers each package's fixes to the sink's `approve`, the questions are asked
 * (interactive-session.ts), the package is planned with exactly the accepted fixes and verified as
 * in batch mode, and its changed files are written atomically by `writeChanges` in the sink's
 * `package`, so each file is written once, after its last decision. `q` and Ctrl-C stop the run
 * after the current package is written: later packages are not even read.
 *
 * The M of "(i/M)" is honest from the first question: a first pass over the paths counts the fixes
 * on offer (it plans nothing and writes nothing); when a package offers a different number by the
 * time it is asked about (a file changed meanwhile), M is corrected there.
 *
 * Exit codes: 0, or 3 when a file could not be processed or written; 2 when stdin or stdout is not a
 * terminal; 130 / 143 / 129 after Ctrl-C (or SIGINT) / SIGTERM / SIGHUP, with the accepted fixes of
 * the current package written.
 */
import type { ReadStream } from 'node:tty';
import { colorsFor } from './color.js';
import type { Colors } from './color.js';
import { runDriver } from './driver.js';
import type { FileResult, RunResult } from './results.js';
import { findGofmt } from './gofmt.js';
import { decidePackage } from './interactive-session.js';
import type { Accepted, LogEntry, SessionState } from './interactive-session.js';
import { openTerminal } from './interactive-terminal.js';
import type { Terminal } from './interactive-terminal.js';
import type { Candidate, SourceFile } from './plan-types.js';
import { renderProblems } from './sinks/report.js';
import { EXIT_OK, EXIT_PROBLEM, EXIT_USAGE } from './sinks/sink.js';
import type { PackageSink, Sink } from './sinks/sink.js';
import type { AnyTransform, GoVersion } from './types.js';
import { writeChanges } from './writer.js';
import { proveSummary, renderProofs } from './prove/index.js';
import type { Prover } from './prove/index.js';

export interface InteractiveOptions {
  paths: string[];
  transforms: AnyTransform[];
  goVersion?: GoVersion;
  io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; stdin: NodeJS.ReadStream };
  /** Colours for the prompts and hunks on stdout (default: decided from stdout and the environment). */
  colors?: Colors;
  /** `--prove`: each package's accepted fixes are tried against its tests before they are written. */
  prover?: Prover;
}

/** Thrown from the sink to end the run after `q`: later packages are not touched. */
class Stop extends Error {}

const EXIT_BY_SIGNAL = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/** Identifies a package across the counting pass and the asking pass. */
function packageKey(sources: SourceFile[]): string {
  return sources.map((s) => s.path).join('\0');
}

/** Fixes a package offers; candidates sharing an id are asked about once. */
function offered(candidates: Candidate[]): number {
  return new Set(candidates.map((c) => c.id)).size;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * What became of each fix, in the order they were asked: applied, not written (accepted, but its
 * file could not be written), or skipped and why; then how many were never asked (after `q`).
 */
export function closingList(state: SessionState, c: Colors): string {
  const log = state.log ?? [];
  if (log.length === 0 && state.index >= state.total) return '';
  const label = (e: LogEntry): string => {
    if (e.status === 'applied') return c.green('applied    ');
    if (e.status === 'skipped') return c.yellow('skipped    ');
    return c.red('not written');
  };
  const why = (e: LogEntry): string => {
    if (!e.why) return '';
    if (e.why === 'n' || e.why === 'd' || e.why === 'q') return ` (answered ${e.why})`;
    return ` (${e.why})`;
  };
  let out = `${c.bold('gomend:')} fixes:\n`;
  for (const e of log) out += `  ${label(e)} ${e.where} ${e.transform}: ${e.message}${why(e)}\n`;
  const unasked = state.total - state.index;
  if (unasked > 0) out += `  ${c.dim('not asked  ')} ${plural(unasked, 'fix', 'fixes')}\n`;
  return out;
}

/**
 * The counting pass's sink: notes how many fixes each package offers and approves none, so nothing
 * is planned beyond the first pass and nothing is written.
 */
function countingSink(counts: Map<string, number>, state: SessionState): PackageSink {
  return {
    approve: async (candidates, sources) => {
      counts.set(packageKey(sources), offered(candidates));
      return new Map();
    },
    package: async () => {
      if (state.quit) throw new Stop();
    },
  };
}

interface SessionIo {
  io: InteractiveOptions['io'];
  colors: Colors;
  errColors: Colors;
  terminal: Terminal;
  state: SessionState;
  /** Fixes each package offered, by package; corrected when a package offers a different number when asked. */
  counts: Map<string, number>;
  /** Where each package's final files go, for the closing report. */
  results: FileResult[];
  prover?: Prover;
}

/**
 * The interactive sink: asks about each package's fixes (`approve`), writes each package's changed
 * files once they are final (`package`), and at the end lists what became of every fix (`finish`).
 */
function interactiveSink({ io, colors, errColors, terminal, state, counts, results, prover }: SessionIo): Sink {
  let pending: Accepted[] = [];
  let applied = 0;
  let filesWritten = 0;
  return {
    async approve(candidates, sources) {
      const key = packageKey(sources);
      state.total += offered(candidates) - (counts.get(key) ?? 0);
      counts.set(key, offered(candidates));
      if (state.quit) return new Map();
      const gofmt = await findGofmt();
      const size = () => ({ rows: io.stdout.rows || Number(process.env.LINES) || undefined, columns: io.stdout.columns || Number(process.env.COLUMNS) || undefined });
      const decision = await decidePackage(candidates, sources, state, { out: io.stdout, colors, terminal, gofmt, size });
      pending = decision.accepted;
      return decision.answers;
    },
    async package(files) {
      results.push(...files);
      if (prover) io.stderr.write(renderProofs(await prover.check(files), errColors));
      const outcome = await writeChanges(files);
      for (const f of outcome.failed) {
        const r = files.find((x) => x.path === f.path);
        if (r) Object.assign(r, { status: 'error', reason: f.reason, problem: true });
      }
      const written = new Set(outcome.written);
      filesWritten += written.size;
      for (const a of pending) {
        const done = a.edits.every((e) => written.has(e.file));
        if (done) applied++;
        const entry = state.log!.find((e) => e.id === a.id && e.status === 'accepted');
        if (entry) entry.status = done ? 'applied' : 'not written';
      }
      pending = [];
      if (state.quit) throw new Stop();
    },
    async finish(result) {
      // Fixable findings were asked about; what is left to report is problems and report-only findings.
      const shown = result.files.map((f) => ({ ...f, findings: f.findings.filter((x) => !x.fixable) }));
      io.stderr.write(renderProblems({ ...result, files: shown }, errColors));
      if (terminal.interrupted) io.stderr.write(`gomend: interrupted (${terminal.interrupted}); nothing more applied\n`);
      if (prover?.proofs.length) io.stderr.write(proveSummary(prover));
      io.stderr.write(closingList(state, errColors));
      io.stderr.write(`${errColors.bold('gomend:')} applied ${applied} of ${plural(state.total, 'fix', 'fixes')} in ${plural(filesWritten, 'file', 'files')}\n`);
      if (terminal.interrupted) return EXIT_BY_SIGNAL[terminal.interrupted];
      return result.files.some((f) => f.problem) ? EXIT_PROBLEM : EXIT_OK;
    },
  };
}

/**
 * Runs the interactive session and resolves with the exit code: a counting pass, then the pass that
 * asks, with the interactive sink taking each package as it is final.
 */
export async function runInteractive(options: InteractiveOptions): Promise<number> {
  const { io } = options;
  if (!io.stdin.isTTY || !io.stdout.isTTY) {
    const which = !io.stdin.isTTY ? 'stdin' : 'stdout';
    io.stderr.write(
      `gomend: --interactive needs a terminal, but ${which} is not one (redirected or piped); ` +
        'run gomend without -i for a diff, or with --write to apply every fix\n',
    );
    return EXIT_USAGE;
  }
  const colors = options.colors ?? colorsFor(io.stdout);
  const errColors = colorsFor(io.stderr);
  const base = { paths: options.paths, transforms: options.transforms, goVersion: options.goVersion };
  const state: SessionState = { index: 0, total: 0, quit: false, log: [] };
  const terminal = openTerminal(io.stdin as ReadStream, () => {
    state.quit = true;
  });

  const counts = new Map<string, number>();
  const results: FileResult[] = [];
  const sink = interactiveSink({ io, colors, errColors, terminal, state, counts, results, prover: options.prover });
  let notes: string[] = [];
  try {
    io.stdout.write(colors.dim('gomend: looking for fixes…'));
    let first: RunResult;
    try {
      first = await runDriver({ ...base, sink: countingSink(counts, state) });
    } finally {
      io.stdout.write('\r\x1b[K');
    }
    notes = first.notes;
    for (const n of counts.values()) state.total += n;
    if (state.total === 0) {
      results.push(...first.files);
    } else {
      await runDriver({ ...base, sink });
    }
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
  } finally {
    terminal.close();
    options.prover?.dispose();
  }
  const summary = { files: 0, changed: 0, findings: 0, fixes: 0, skipped: 0, errors: 0, conflicts: 0, seconds: 0 };
  return sink.finish({ files: results, notes, summary });
}
