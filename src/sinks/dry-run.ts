/**
 * The dry run's sink (the default, and `--check`): the diff on stdout, or the JSON or SARIF report;
 * on stderr the fixes, the problems and the summary. Nothing is written.
 */
import type { Colors } from '../color.js';
import type { RunResult } from '../results.js';
import type { AnyTransform } from '../types.js';
import { renderDiff } from './diff.js';
import { renderByTransform, renderFixes, renderProblems, renderSummary } from './report.js';
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_PROBLEM, writeReport } from './sink.js';
import type { Format, Sink } from './sink.js';

export interface DryRunOptions {
  format: Format;
  /** The transforms of the run, for SARIF's rules. */
  selected: readonly AnyTransform[];
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };
  /** Colours of stdout (the diff) and stderr. */
  out: Colors;
  err: Colors;
  /** No summary (`-q`). */
  quiet?: boolean;
  /** `--check`: exit 1 when a fix would apply. */
  check?: boolean;
}

export function dryRunSink({ format, selected, io, out, err, quiet, check }: DryRunOptions): Sink {
  return {
    async finish(result: RunResult) {
      let code = result.files.some((f) => f.problem) ? EXIT_PROBLEM : EXIT_OK;
      if (format === 'diff') {
        io.stdout.write(renderDiff(result.files, out));
        if (result.files.some((f) => f.status === 'changed' && f.path.startsWith('../'))) {
          io.stderr.write('gomend: some changed files are outside the current directory: apply the diff with `git apply --unsafe-paths`, or run gomend from a common parent\n');
        }
      }
      else writeReport(format, result, selected, io.stdout);
      if (format === 'diff' && !quiet) io.stderr.write(renderFixes(result, err));
      io.stderr.write(renderProblems(result, err));
      if (!quiet) {
        io.stderr.write(renderSummary(result, 'would change', err) + renderByTransform(result, err));
        if (format === 'diff' && result.summary.changed > 0) io.stderr.write(`${err.bold('gomend:')} run with --write to apply, or -i to choose\n`);
      }
      if (check && result.summary.changed > 0 && code === EXIT_OK) code = EXIT_CHECK_FAILED;
      return code;
    },
  };
}
