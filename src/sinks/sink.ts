/**
 * Where a run's results go. Every output mode is a sink with this one interface: the dry run's
 * diff (sinks/dry-run.ts, also `--check`), the JSON and SARIF reports, `--write` (sinks/write.ts)
 * and `-i` (interactive.ts). The driver calls a sink's per-package methods as it goes, a package
 * at a time and in order; the command line hands it the whole run at the end.
 */
import type { Candidate, SourceFile } from '../plan-types.js';
import type { FileResult, RunResult } from '../results.js';
import type { AnyTransform, Fix } from '../types.js';
import { jsonReport } from './json.js';
import { sarifReport } from './sarif.js';

/** Exit codes a sink resolves with (interrupted writes: 128 + the signal's number). */
export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_PROBLEM = 3;

export interface Sink {
  /**
   * Chooses a package's fixes before it is planned (interactive approval): called with the fixes
   * the first pass offers, in file then position order; the answer maps the id of each fix to apply
   * to `true`, or to an edited fix. The package is then planned in a single pass with exactly those.
   * Without it, every fix is applied.
   */
  approve?(candidates: Candidate[], sources: SourceFile[]): Promise<Map<string, true | Fix>>;
  /** Takes a package's files once they are final (verified), before the next package is read. */
  package?(files: FileResult[]): Promise<void>;
  /** The run is over: output what is left, and resolve with the exit code. */
  finish(result: RunResult): Promise<number>;
}

/** The per-package part of a sink, which is all the driver sees of it. */
export type PackageSink = Pick<Sink, 'approve' | 'package'>;

/** True when the sink takes packages one at a time: no worker threads, no cache (see driver.ts). */
export function streams(sink: PackageSink | undefined): boolean {
  return !!sink && (!!sink.approve || !!sink.package);
}

/** Output formats of the dry run and of `--write` (`-i` shows diffs of its own). */
export type Format = 'diff' | 'json' | 'sarif';

/** Machine-readable output on stdout: JSON or SARIF (nothing for `diff`: a sink writes the diff itself). */
export function writeReport(format: Format, result: RunResult, selected: readonly AnyTransform[], stdout: NodeJS.WritableStream): void {
  if (format === 'json') stdout.write(JSON.stringify(jsonReport(result), null, 2) + '\n');
  if (format === 'sarif') stdout.write(JSON.stringify(sarifReport(result, selected), null, 2) + '\n');
}
