/**
 * `--json`: one document on stdout for editors and CI, in a shape that is kept stable
 * (`version: 1`; new fields may be added, none removed). `files` lists every file with findings or a
 * status other than unchanged; "changed" means "would change" in a dry run.
 */
import type { FileResult, RunResult } from '../results.js';
import type { Proof } from '../prove/index.js';

export interface JsonFinding {
  transform: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  fixable: boolean;
  fix?: string;
  /** True for an explanation rather than a hazard (listed with `--explain` only). */
  note?: true;
  /** Present for a fixable finding whose fix was left out: false, with the reason. */
  applied?: false;
  reason?: string;
}

export interface JsonFile {
  path: string;
  status: FileResult['status'];
  reason?: string;
  /** Where `reason` (a syntax error) or `partial` points. */
  line?: number;
  column?: number;
  /** Valid Go gomend's parser cannot read in full: what was left unchecked. */
  partial?: string;
  transforms?: string[];
  findings: JsonFinding[];
}

export interface JsonReport {
  version: 1;
  summary: { files: number; changed: number; findings: number; fixes: number; skipped: number; errors: number; conflicts: number; seconds: number };
  files: JsonFile[];
  /** With `--prove`: one entry per package with fixes. */
  proofs?: Proof[];
}

export function jsonReport(result: RunResult): JsonReport {
  const files: JsonFile[] = [];
  for (const f of result.files) {
    if (f.status === 'unchanged' && f.findings.length === 0 && !f.partial) continue;
    const entry: JsonFile = { path: f.path, status: f.status, findings: [] };
    if (f.reason) entry.reason = f.reason;
    if (f.line !== undefined) Object.assign(entry, { line: f.line, column: f.column ?? 1 });
    if (f.partial) entry.partial = f.partial;
    if (f.transforms.length) entry.transforms = f.transforms;
    entry.findings = f.findings.map((x) => ({
      transform: x.transform,
      line: x.line,
      column: x.column,
      endLine: x.endLine,
      endColumn: x.endColumn,
      message: x.message,
      fixable: x.fixable,
      ...(x.fix ? { fix: x.fix.message } : {}),
      ...(x.note ? { note: true as const } : {}),
      ...(x.notApplied ? { applied: false as const, reason: x.notApplied } : {}),
    }));
    files.push(entry);
  }
  const s = result.summary;
  return {
    version: 1,
    summary: { files: s.files, changed: s.changed, findings: s.findings, fixes: s.fixes, skipped: s.skipped, errors: s.errors, conflicts: s.conflicts, seconds: Number(s.seconds.toFixed(3)) },
    files,
    ...(result.proofs ? { proofs: result.proofs } : {}),
  };
}
