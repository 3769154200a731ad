/**
 * What a pass offers: its findings, located in the original text by line and column, and its fix
 * candidates, with ids that stay the same whenever the same transforms run on the same sources.
 * The planner applies the candidates; the interactive mode asks about each before planning.
 */
import { resolveEdits } from './edits.js';
import { lineIndexOf } from './lines.js';
import { openPackage, runTransforms } from './pass.js';
import type { PassFinding } from './pass.js';
import type { Candidate, LocatedFinding, SourceFile } from './plan-types.js';
import type { AnyTransform } from './types.js';

/** Line and column (1-based; the column counts UTF-8 bytes, as Go tools do) of an index. */
export function locate(source: string, index: number): { line: number; column: number } {
  const lines = lineIndexOf(source);
  const { line } = lines.position(index);
  return { line, column: Buffer.byteLength(source.slice(lines.lineStart(line), index), 'utf8') + 1 };
}

/**
 * The fix candidates of a pass, with ids that are the same whenever the same transforms run on the
 * same sources: transform, file and range, plus an ordinal when one transform offers several fixes
 * for one range.
 */
export function candidatesOf(found: PassFinding[]): Candidate[] {
  const seen = new Map<string, number>();
  const out: Candidate[] = [];
  for (const pf of found) {
    const c = toCandidate(pf);
    if (!c) continue;
    const n = seen.get(c.id) ?? 0;
    seen.set(c.id, n + 1);
    if (n > 0) c.id = `${c.id}#${n}`;
    out.push(c);
  }
  return out;
}

function toCandidate(pf: PassFinding): Candidate | undefined {
  if (!pf.finding.fix) return undefined;
  return {
    ...(pf.transform.layout === 'gofmt' ? { layout: true } : {}),
    id: `${pf.transform.name}:${pf.file.path}:${pf.finding.start}:${pf.finding.end}`,
    transform: pf.transform.name,
    path: pf.file.path,
    finding: pf.finding,
    fix: pf.finding.fix,
    edits: resolveEdits(pf.finding.fix, pf.file.path),
  };
}

/**
 * One pass's offer: every finding and every fix candidate, computed on the given sources. The
 * interactive mode uses this to ask about each fix before planning with `accept`.
 */
export function collectCandidates(files: SourceFile[], transforms: AnyTransform[], dir = ''): { findings: LocatedFinding[]; candidates: Candidate[] } {
  const open = openPackage(files, dir);
  try {
    const found = runTransforms(open.pkg, transforms, new Map());
    return { findings: found.map(locateFinding), candidates: candidatesOf(found) };
  } finally {
    open.close();
  }
}

export function locateFinding(pf: PassFinding): LocatedFinding {
  const a = locate(pf.file.source, pf.finding.start);
  const b = locate(pf.file.source, pf.finding.end);
  return {
    transform: pf.transform.name,
    path: pf.file.path,
    start: pf.finding.start,
    end: pf.finding.end,
    line: a.line,
    column: a.column,
    endLine: b.line,
    endColumn: b.column,
    message: pf.finding.message,
    fixable: !!pf.finding.fix,
    fix: pf.finding.fix,
    ...(pf.finding.note && !pf.finding.fix ? { note: true } : {}),
  };
}
