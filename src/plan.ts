/**
 * Planning: run transforms over one package, merge their fixes and repeat until nothing changes.
 *
 * Pure apart from parsing: sources in, new sources and findings out. Each pass parses the package,
 * runs every transform once over it (pass.ts), merges the fixes as independent changes to the same text
 * (see edits.ts), applies them and re-parses. A fix whose result adds a syntax error is dropped whole
 * and the pass is redone without it. Passes repeat (at most `maxPasses`, stopping when the text
 * repeats) so one run applies everything that the first pass's conflicts held back.
 *
 * The same code serves every mode: batch accepts every fix, interactive passes `accept` to keep only
 * the fixes the user approved (and then runs a single pass).
 */
import { applyEdits, compareEdits, mergeFixes, resolveEdits } from './edits.js';
import type { FileEdit } from './edits.js';
import { lineIndexOf } from './lines.js';
import { firstSyntaxError, parseGo, syntaxErrorCount } from './parse.js';
import { openPackage, runTransforms } from './pass.js';
import type { PassFinding } from './pass.js';
import { errorRegionsOf, nearRegion, treeSitterError } from './syntax.js';
import type { Region } from './syntax.js';
import type { AnyTransform, Finding, Fix, GoFile, GoVersion } from './types.js';

/** A file handed to the planner: already normalised text (no BOM, `\n` line ends). */
export interface SourceFile {
  path: string;
  source: string;
  goVersion: GoVersion | undefined;
  /** Part of the package view but never edited (generated code). */
  readOnly?: boolean;
}

/** A finding located in the original text of its file. */
export interface LocatedFinding {
  transform: string;
  path: string;
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  fixable: boolean;
  fix?: Fix;
  /** An explanation rather than a hazard (see `Finding.note`): shown only with `--explain`. */
  note?: boolean;
  /** Set when the fix was offered but left out, with the reason. */
  notApplied?: string;
}

/** A fix the planner left out, and why. `start` is its finding's start in the text of `pass`. */
export interface Dropped {
  transform: string;
  path: string;
  message: string;
  reason: string;
  pass: number;
  start: number;
}

/** A fix offered in a pass, with what the driver and the interactive prompt need to know of it. */
export interface Candidate {
  /** Stable within one pass: transform, file and position. */
  id: string;
  transform: string;
  path: string;
  finding: Finding;
  fix: Fix;
  edits: FileEdit[];
  /** Its transform emits plain edits and lets gofmt lay out the files they change (`layout: 'gofmt'`). */
  layout?: boolean;
}

export interface PackagePlan {
  /** New text of every file that changed. */
  outputs: Map<string, string>;
  /** Findings of the first pass, located in the original sources. */
  findings: LocatedFinding[];
  /** Fixes applied over all passes. */
  applied: number;
  /** Fixes left out because they overlapped an accepted one and never applied in a later pass. */
  conflicts: number;
  /** Fixes dropped because their result did not parse, or they edited a frozen or read-only file. */
  dropped: Dropped[];
  /** Transforms whose fixes changed each file. */
  transformsByFile: Map<string, Set<string>>;
  /** Files changed by a transform with `layout: 'gofmt'`: gofmt lays them out (see src/gofmt.ts). */
  gofmtLayout: Set<string>;
  passes: number;
  /** True when the last pass still had fixes to apply (the pass limit was hit). */
  unsettled: boolean;
  /**
   * Files found not to parse, with where: they are neither edited nor reported on. Only files a
   * transform looked at (or a fix would edit) are parsed, so only those can be listed here.
   */
  syntaxErrors: Map<string, string>;
  /**
   * Files named in `PlanOptions.localErrors` that tree-sitter could not read whole: where it first
   * fails, and how many findings fell in an error region (not reported, never fixed).
   */
  localErrors: Map<string, { line: number; column: number; hidden: number }>;
  /** Files on which a transform threw, with the first line of its error: never edited. */
  transformErrors: Map<string, string>;
}

export interface PlanOptions {
  maxPasses?: number;
  /**
   * Only fixes for which this returns true are applied (interactive approval); returning a Fix
   * applies that fix instead of the candidate's own (a hunk the user edited). Planning with
   * `accept` runs a single pass: the user approved exactly these fixes.
   */
  accept?: (candidate: Candidate) => boolean | Fix;
  /** Files that must not change: fixes touching them are dropped (used after a failed verify). */
  frozen?: ReadonlySet<string>;
  /**
   * Files tree-sitter cannot read whole but Go accepts (gofmt says so; see syntax.ts): worked on
   * outside their error regions instead of being left out.
   */
  localErrors?: ReadonlySet<string>;
}

/** Builds the GoFile view of a parsed source. */
export function makeGoFile(file: SourceFile, tree: ReturnType<typeof parseGo>): GoFile {
  const root = tree.rootNode;
  const clause = root.namedChildren.find((n) => n?.type === 'package_clause');
  const name = clause?.namedChildren.find((n) => n?.type === 'package_identifier')?.text ?? '';
  return {
    path: file.path,
    source: file.source,
    tree,
    root,
    packageName: name,
    goVersion: file.goVersion,
    isTest: file.path.endsWith('_test.go'),
  };
}

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
function candidatesOf(found: PassFinding[]): Candidate[] {
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

function locateFinding(pf: PassFinding): LocatedFinding {
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

/** Plans one package: see the module comment. */
export function planPackage(files: SourceFile[], transforms: AnyTransform[], options: PlanOptions = {}, dir = ''): PackagePlan {
  const maxPasses = options.maxPasses ?? 10;
  const frozen = new Set(options.frozen ?? []);
  for (const f of files) if (f.readOnly) frozen.add(f.path);
  const original = new Map(files.map((f) => [f.path, f.source]));
  let current = files.map((f) => ({ ...f }));
  // Texts seen after each pass, to stop when fixes cycle; the original's is taken only once a
  // pass has changed something (most packages never get there, and the key is a full copy).
  let seen: Set<string> | undefined;
  const plan: PackagePlan = {
    outputs: new Map(),
    findings: [],
    applied: 0,
    conflicts: 0,
    dropped: [],
    transformsByFile: new Map(),
    gofmtLayout: new Set(),
    passes: 0,
    unsettled: false,
    syntaxErrors: new Map(),
    localErrors: new Map(),
    transformErrors: new Map(),
  };

  const sourceOf = new Map(files.map((f) => [f.path, f.source]));
  const markBroken = (p: string) => {
    if (options.localErrors?.has(p)) {
      if (!plan.localErrors.has(p)) {
        const { line, column } = treeSitterError(sourceOf.get(p) ?? '');
        plan.localErrors.set(p, { line, column, hidden: 0 });
      }
      return;
    }
    if (plan.syntaxErrors.has(p)) return;
    plan.syntaxErrors.set(p, syntaxErrorReason(sourceOf.get(p) ?? ''));
    frozen.add(p);
  };

  for (let pass = 1; pass <= maxPasses; pass++) {
    let errorsBefore = new Map<string, number>();
    // Error regions of the files read only in part, in this pass's text.
    const regions = new Map<string, Region[]>();
    const regionsOf = (p: string): Region[] => {
      let r = regions.get(p);
      if (!r) regions.set(p, (r = errorRegionsOf(current.find((f) => f.path === p)!.source)));
      return r;
    };
    const inRegion = (p: string, start: number, end: number) => options.localErrors?.has(p) && (errorsBefore.get(p) ?? 0) > 0 && nearRegion(regionsOf(p), start, end);
    const open = openPackage(current, dir);
    let candidates: Candidate[];
    try {
      const failures = new Map<string, string>();
      const found = runTransforms(open.pkg, transforms, failures);
      errorsBefore = open.errorCounts();
      for (const [p, why] of failures) {
        if (plan.transformErrors.has(p)) continue;
        plan.transformErrors.set(p, why);
        frozen.add(p);
      }
      if (pass === 1) {
        // A file that does not parse is never edited nor reported on: its findings would be guesses.
        for (const [p, n] of errorsBefore) if (n > 0) markBroken(p);
        const shown = found.filter((x) => !plan.syntaxErrors.has(x.file.path) && !plan.transformErrors.has(x.file.path));
        plan.findings = shown
          .filter((x) => {
            if (!inRegion(x.file.path, x.finding.start, x.finding.end)) return true;
            plan.localErrors.get(x.file.path)!.hidden++;
            return false;
          })
          .map(locateFinding);
      }
      candidates = candidatesOf(found);
    } finally {
      open.close();
    }
    if (options.accept) {
      const accept = options.accept;
      candidates = candidates.flatMap((c) => {
        const verdict = accept(c);
        if (verdict === false) return [];
        if (verdict === true) return [c];
        return [{ ...c, fix: verdict, edits: resolveEdits(verdict, c.path) }];
      });
    }
    for (const c of candidates) {
      for (const e of c.edits) {
        if (errorsBefore.has(e.file) || !sourceOf.has(e.file)) continue;
        const n = syntaxErrorCount(current.find((f) => f.path === e.file)!.source);
        errorsBefore.set(e.file, n);
        if (n > 0 && pass === 1) markBroken(e.file);
      }
    }
    candidates = candidates.filter((c) => {
      const touched = c.edits.find((e) => frozen.has(e.file));
      if (touched) {
        plan.dropped.push({ transform: c.transform, path: c.path, message: c.fix.message, reason: `it edits ${touched.file}, which is left unchanged`, pass, start: c.finding.start });
        return false;
      }
      const unread = c.edits.find((e) => inRegion(e.file, e.start, e.end)) ?? (inRegion(c.path, c.finding.start, c.finding.end) ? c.edits[0] : undefined);
      if (unread) {
        plan.dropped.push({ transform: c.transform, path: c.path, message: c.fix.message, reason: `it edits code next to what gomend's parser cannot read in ${unread.file}`, pass, start: c.finding.start });
        return false;
      }
      return true;
    });
    if (candidates.length === 0) break;

    const lengths = new Map(current.map((f) => [f.path, f.source.length]));
    let next: SourceFile[] | undefined;
    let accepted: Candidate[] = [];
    let rejectedConflicts = 0;
    // Merge, apply and re-parse; a fix that breaks the syntax is dropped and the merge redone.
    for (let attempt = 0; attempt <= candidates.length && candidates.length > 0; attempt++) {
      const merged = mergeFixes(candidates, (c) => c.edits, (p) => lengths.get(p));
      for (const r of merged.rejected) {
        if (r.reason === 'invalid') {
          plan.dropped.push({ transform: r.item.transform, path: r.item.path, message: r.item.fix.message, reason: `invalid fix: ${r.detail}`, pass, start: r.item.finding.start });
        }
      }
      rejectedConflicts = merged.rejected.filter((r) => r.reason === 'conflict').length;
      accepted = merged.accepted;
      const trial = current.map((f) => {
        const edits = merged.editsByFile.get(f.path);
        return edits ? { ...f, source: applyEdits(f.source, edits) } : f;
      });
      const broken = trial.filter((f, i) => f !== current[i] && syntaxErrorCount(f.source) > (errorsBefore.get(f.path) ?? 0));
      if (broken.length === 0) {
        next = trial;
        break;
      }
      const brokenPaths = new Set(broken.map((f) => f.path));
      const culprits = findCulprits(accepted.filter((c) => c.edits.some((e) => brokenPaths.has(e.file))), current, errorsBefore);
      for (const c of culprits) {
        plan.dropped.push({ transform: c.transform, path: c.path, message: c.fix.message, reason: 'the result did not parse', pass, start: c.finding.start });
      }
      candidates = candidates.filter((c) => !culprits.has(c) && !merged.rejected.some((r) => r.item === c && r.reason === 'invalid'));
    }
    plan.passes = pass;
    if (!next || accepted.length === 0) break;

    current = next;
    const key = snapshot(current);
    seen ??= new Set([snapshot(files)]);
    if (seen.has(key)) break; // the text repeats: nothing new was applied
    seen.add(key);
    plan.applied += accepted.length;
    for (const c of accepted) {
      for (const e of c.edits) {
        const set = plan.transformsByFile.get(e.file) ?? new Set();
        set.add(c.transform);
        plan.transformsByFile.set(e.file, set);
        if (c.layout) plan.gofmtLayout.add(e.file);
      }
    }
    plan.conflicts = rejectedConflicts;
    if (options.accept) break; // interactive: the user approved exactly these fixes
    if (pass === maxPasses) plan.unsettled = true;
  }
  for (const f of current) {
    if (f.source !== original.get(f.path)) plan.outputs.set(f.path, f.source);
  }
  for (const d of plan.dropped) {
    if (d.pass !== 1) continue;
    const f = plan.findings.find((x) => x.fixable && x.transform === d.transform && x.path === d.path && x.start === d.start && !x.notApplied);
    if (f) f.notApplied = d.reason;
  }
  return plan;
}

/**
 * Which of the fixes touching a file that stopped parsing are to blame: each is tried alone; those
 * that break the file by themselves are the culprits. When none does alone (only a combination
 * breaks), all but the first are held back, and later passes offer them again on the new text.
 */
function findCulprits(suspects: Candidate[], current: SourceFile[], errorsBefore: Map<string, number>): Set<Candidate> {
  const byPath = new Map(current.map((f) => [f.path, f.source]));
  const alone = suspects.filter((c) => {
    const files = new Set(c.edits.map((e) => e.file));
    return [...files].some((p) => {
      const edits = c.edits.filter((e) => e.file === p).sort(compareEdits);
      return syntaxErrorCount(applyEdits(byPath.get(p)!, edits)) > (errorsBefore.get(p) ?? 0);
    });
  });
  return new Set(alone.length > 0 ? alone : suspects.slice(1));
}

/** "syntax error at line L, column C; not rewritten" for a source that does not parse. */
export function syntaxErrorReason(source: string): string {
  const tree = parseGo(source);
  try {
    const bad = firstSyntaxError(tree.rootNode);
    if (!bad) return 'syntax error; not rewritten';
    const what = bad.isMissing ? `missing ${bad.type}` : 'syntax error';
    return `${what} at line ${bad.startPosition.row + 1}, column ${bad.startPosition.column + 1}; not rewritten`;
  } finally {
    tree.delete();
  }
}


function snapshot(files: SourceFile[]): string {
  return files.map((f) => `${f.path}\0${f.source}`).join('\0\0');
}
