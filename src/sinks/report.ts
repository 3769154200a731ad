/**
 * What goes to stderr in every mode: skipped and failed files with their reason, findings that
 * carry no fix (`path:line:col: transform: message`, the form editors and CI annotators parse), and
 * a one-line summary. Fixable findings are shown by the diff (or applied), so they are not repeated.
 */
import type { Colors } from '../color.js';
import type { RunResult } from '../driver.js';

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

export function renderSummary(result: RunResult, verb: 'would change' | 'changed', colors: Colors): string {
  const s = result.summary;
  const parts = [
    `${s.files} file${s.files === 1 ? '' : 's'} scanned`,
    `${s.changed} ${verb}`,
    `${s.findings} finding${s.findings === 1 ? '' : 's'}`,
    `${s.fixes} fix${s.fixes === 1 ? '' : 'es'}`,
    `${s.skipped} skipped`,
    `${s.errors} error${s.errors === 1 ? '' : 's'}`,
  ];
  if (s.conflicts) parts.push(`${s.conflicts} conflicting fix${s.conflicts === 1 ? '' : 'es'} left out`);
  return `${colors.bold('gomend:')} ${parts.join(', ')} in ${s.seconds.toFixed(2)}s\n`;
}
