/**
 * `--explain`: findings marked `note` say why a candidate does not qualify (an exported map, a use
 * a rewrite cannot follow). They are not hazards, so by default they are left out of every output
 * and of the counts; `--explain` keeps them, shown as `path:line:col: transform: note: message`.
 */
import type { RunResult } from './results.js';

/** Drops the explanations from a run's results and recounts its findings. */
export function withoutNotes(result: RunResult): RunResult {
  for (const f of result.files) {
    if (f.findings.some((x) => x.note)) f.findings = f.findings.filter((x) => !x.note);
  }
  result.summary.findings = result.files.reduce((n, f) => n + f.findings.length, 0);
  return result;
}
