/**
 * `--write`'s sink: every changed file is written atomically (see writer.ts), then the report, if
 * one was asked for, and on stderr the problems (files that could not be written among them) and
 * the summary. An interrupt stops the writes between two files; the exit code then says which
 * signal (128 + its number).
 */
import os from 'node:os';
import type { Colors } from '../color.js';
import type { RunResult } from '../results.js';
import type { AnyTransform } from '../types.js';
import { writeChanges } from '../writer.js';
import { renderProblems, renderSummary } from './report.js';
import { EXIT_OK, EXIT_PROBLEM, writeReport } from './sink.js';
import type { Format, Sink } from './sink.js';

export interface WriteOptions {
  format: Format;
  /** The transforms of the run, for SARIF's rules. */
  selected: readonly AnyTransform[];
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };
  /** Colours of stderr. */
  err: Colors;
  /** No summary (`-q`). */
  quiet?: boolean;
}

export function writeSink({ format, selected, io, err, quiet }: WriteOptions): Sink {
  return {
    async finish(result: RunResult) {
      let code = result.files.some((f) => f.problem) ? EXIT_PROBLEM : EXIT_OK;
      const outcome = await writeChanges(result.files);
      for (const f of outcome.failed) {
        const r = result.files.find((x) => x.path === f.path);
        if (r) Object.assign(r, { status: 'error', reason: f.reason, problem: true });
      }
      if (outcome.failed.length) code = EXIT_PROBLEM;
      if (outcome.interrupted) {
        const written = new Set(outcome.written);
        for (const f of result.files) {
          if (f.status === 'changed' && !written.has(f.path)) Object.assign(f, { status: 'skipped', reason: `not written: interrupted by ${outcome.interrupted}` });
        }
      }
      finishSummary(result);
      writeReport(format, result, selected, io.stdout);
      io.stderr.write(renderProblems(result, err));
      if (!quiet) io.stderr.write(renderSummary(result, 'changed', err));
      if (outcome.interrupted) {
        io.stderr.write(`gomend: interrupted by ${outcome.interrupted}; ${outcome.written.length} file(s) written, the rest untouched\n`);
        return 128 + (os.constants.signals[outcome.interrupted] ?? 15);
      }
      return code;
    },
  };
}

/** Recounts the summary after writes turned some changed files into errors. */
function finishSummary(result: RunResult): void {
  result.summary.changed = result.files.filter((f) => f.status === 'changed').length;
  result.summary.errors = result.files.filter((f) => f.status === 'error').length;
}
