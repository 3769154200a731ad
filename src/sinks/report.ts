/**
 * What goes to stderr in every mode: skipped and failed files with their reason, findings that
 * carry no fix (`path:line:col: transform: message`, the form editors and CI annotators parse), and
 * a one-line summary. Fixable findings are shown by the diff (or applied), so they are not repeated.
 */
import type { Colors } from '../color.js';
import type { RunResult } from '../results.js';

export function renderProblems(result: RunResult, colors: Colors, options: { listGenerated?: boolean } = {}): string {
  const lines: string[] = [];
  for (const note of result.notes) lines.push(colors.yellow(`gomend: ${note}`));
  for (const f of result.files) {
    // `path:line:col:` when there is a position, so editors jump to it.
    const where = f.line !== undefined ? `${f.path}:${f.line}:${f.column ?? 1}` : f.path;
    if (f.status === 'error') lines.push(`${where}: ${colors.red('error')}: ${f.reason}`);
    else if (f.status === 'skipped' && (f.problem || options.listGenerated)) lines.push(`${where}: ${colors.yellow('skipped')}: ${f.reason}`);
    else if (f.partial) lines.push(`${where}: ${colors.yellow('note')}: ${f.partial}`);
  }
  for (const f of result.files) {
    for (const x of f.findings) {
      if (x.fixable && f.status === 'changed' && !x.notApplied) continue;
      // In a file that failed, the error line above already says why nothing was applied.
      const because = x.notApplied && f.status !== 'error' ? `: ${x.notApplied}` : '';
      const why = x.fixable ? `${x.message} (fix not applied${because})` : x.note ? `note: ${x.message}` : x.message;
      lines.push(`${f.path}:${x.line}:${x.column}: ${colors.magenta(x.transform)}: ${why}`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/**
 * The dry run's reasons: one line per fix the diff shows, `path:line:col: transform: message (fix:
 * what it does)`, so the patch on stdout explains itself on stderr.
 */
export function renderFixes(result: RunResult, colors: Colors): string {
  const lines: string[] = [];
  for (const f of result.files) {
    if (f.status !== 'changed') continue;
    for (const x of f.findings) {
      if (!x.fixable || x.notApplied || !x.fix) continue;
      lines.push(`${f.path}:${x.line}:${x.column}: ${colors.magenta(x.transform)}: ${x.message} (fix: ${x.fix.message})`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/**
 * Per transform: fixes that apply and report-only findings (`goroutine-subslice: 2 fixes, 1
 * report-only`), in name order; empty when there are no findings.
 */
export function renderByTransform(result: RunResult, colors: Colors): string {
  const counts = new Map<string, { fixes: number; reportOnly: number }>();
  for (const f of result.files) {
    for (const x of f.findings) {
      const c = counts.get(x.transform) ?? { fixes: 0, reportOnly: 0 };
      if (x.fixable && !x.notApplied && f.status === 'changed') c.fixes++;
      else c.reportOnly++;
      counts.set(x.transform, c);
    }
  }
  if (counts.size === 0) return '';
  const parts = [...counts]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, c]) => {
      const bits = [];
      if (c.fixes) bits.push(`${c.fixes} fix${c.fixes === 1 ? '' : 'es'}`);
      if (c.reportOnly) bits.push(`${c.reportOnly} report-only`);
      return `${name}: ${bits.join(', ')}`;
    });
  return `${colors.bold('gomend:')} ${parts.join('; ')}\n`;
}

export function renderSummary(result: RunResult, verb: 'would change' | 'changed', colors: Colors): string {
  const s = result.summary;
  const generated = result.files.filter((f) => f.status === 'skipped' && !f.problem).length;
  const parts = [
    `${s.files} file${s.files === 1 ? '' : 's'} scanned`,
    `${s.changed} ${verb}`,
    `${s.findings} finding${s.findings === 1 ? '' : 's'}`,
    `${s.fixes} fix${s.fixes === 1 ? '' : 'es'}`,
    // Generated files are read for context and never changed: not a problem, counted apart.
    `${s.skipped - generated} skipped`,
    `${s.errors} error${s.errors === 1 ? '' : 's'}`,
  ];
  if (generated) parts.splice(5, 0, `${generated} generated`);
  if (s.conflicts) parts.push(`${s.conflicts} conflicting fix${s.conflicts === 1 ? '' : 'es'} left out`);
  return `${colors.bold('gomend:')} ${parts.join(', ')} in ${s.seconds.toFixed(2)}s\n`;
}
