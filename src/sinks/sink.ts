/**
 * Where a run's results go. The interactive mode (interactive.ts) is one: it approves each
 * package's fixes and writes each package's files as they are final. The driver calls a sink's per-package methods as it goes, a package
 * at a time and in order; the command line hands it the whole run at the end.
 */
import type { Candidate, SourceFile } from '../plan-types.js';
import type { FileResult, RunResult } from '../results.js';
import type { Fix } from '../types.js';

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

