/**
 * Planning: run transforms over one package, merge their fixes and repeat until nothing changes.
 *
 * Pure apart from parsing: sources in, new sources and findings out. Each pass parses the package,
 * runs every transform on every file, merges the fixes as independent changes to the same text
 * (see edits.ts), applies them and re-parses. A fix whose result adds a syntax error is dropped whole
 * and the pass is redone without it. Passes repeat (at most `maxPasses`, stopping when the text
 * repeats) so one run applies everything that the first pass's conflicts held back.
 *
 * The same code serves every mode: batch accepts every fix, interactive passes `accept` to keep only
 * the fixes the user approved (and then runs a single pass).
 */
import { applyEdits, compareEdits, mergeFixes, resolveEdits } from './edits.js';
import type { FileEdit } from './edits.js';
import { goAtLeast } from './goversion.js';
import { ensureImport, importName } from './imports.js';
import { countSyntaxErrors, parseGo } from './parse.js';
import { suppressed } from './suppress.js';
import type { Context, Finding, Fix, GoFile, GoVersion, Package, Transform, Tree } from './types.js';

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
  dropped: { transform: string; path: string; message: string; reason: string }[];
  /** Transforms whose fixes changed each file. */
  transformsByFile: Map<string, Set<string>>;
  passes: number;
  /** True when the last pass still had fixes to apply (the pass limit was hit). */
  unsettled: boolean;
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
   * Trees the caller already parsed from exactly these sources, by path: the first pass uses them
   * instead of parsing again, and the planner deletes them.
   */
  parsed?: Map<string, Tree>;
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

function makeContext(pkg: Package, file: GoFile): Context {
  return {
    pkg,
    goVersion: file.goVersion,
    atLeast: (v) => goAtLeast(file.goVersion, v),
    ensureImport,
    importName,
  };
}

/** Line and column (1-based; the column counts UTF-8 bytes, as Go tools do) of an index. */
export function locate(source: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < index; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: Buffer.byteLength(source.slice(lineStart, index), 'utf8') + 1 };
}

interface PassFinding {
  transform: Transform;
  file: GoFile;
  finding: Finding;
}

/** Runs every transform once over every file of a parsed package. */
function runTransforms(pkg: Package, transforms: Transform[]): PassFinding[] {
  const out: PassFinding[] = [];
  for (const file of pkg.files) {
    const ctx = makeContext(pkg, file);
    for (const transform of transforms) {
      if (transform.mayMatch && !transform.mayMatch(file.source)) continue;
      let findings: Finding[];
      try {
        findings = transform.run(file, ctx);
      } catch (err) {
        throw new Error(`transform ${transform.name} failed on ${file.path}: ${(err as Error).stack ?? err}`);
      }
      for (const finding of findings) {
        if (suppressed(file.source, finding.start, transform.name)) continue;
        let f = finding;
        if (f.fix && transform.minGoVersion && !goAtLeast(file.goVersion, transform.minGoVersion)) {
          f = {
            start: f.start,
            end: f.end,
            message: `${f.message} (no fix: it needs Go ${transform.minGoVersion}, this file is Go ${file.goVersion ? `${file.goVersion.major}.${file.goVersion.minor}` : 'of unknown version'})`,
          };
        }
        out.push({ transform, file, finding: f });
      }
    }
  }
  return out;
}

function parsePackage(files: SourceFile[], dir: string, parsed?: Map<string, Tree>): { pkg: Package; trees: { delete(): void }[] } {
  const trees: { delete(): void }[] = [];
  const goFiles = files.map((f) => {
    const given = parsed?.get(f.path);
    parsed?.delete(f.path);
    const tree = given ?? parseGo(f.source);
    trees.push(tree);
    return makeGoFile(f, tree);
  });
  const name = goFiles.find((f) => !f.isTest)?.packageName ?? goFiles[0]?.packageName ?? '';
  return { pkg: { dir, name, files: goFiles }, trees };
}

function toCandidate(pf: PassFinding): Candidate | undefined {
  if (!pf.finding.fix) return undefined;
  return {
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
export function collectCandidates(files: SourceFile[], transforms: Transform[], dir = ''): { findings: LocatedFinding[]; candidates: Candidate[] } {
  const { pkg, trees } = parsePackage(files, dir);
  try {
    const found = runTransforms(pkg, transforms);
    return { findings: found.map(locateFinding), candidates: found.map(toCandidate).filter((c): c is Candidate => !!c) };
  } finally {
    for (const t of trees) t.delete();
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
  };
}

/** Plans one package: see the module comment. */
export function planPackage(files: SourceFile[], transforms: Transform[], options: PlanOptions = {}, dir = ''): PackagePlan {
  const maxPasses = options.maxPasses ?? 10;
  const frozen = new Set(options.frozen ?? []);
  for (const f of files) if (f.readOnly) frozen.add(f.path);
  const original = new Map(files.map((f) => [f.path, f.source]));
  let current = files.map((f) => ({ ...f }));
  const seen = new Set<string>([snapshot(current)]);
  const plan: PackagePlan = {
    outputs: new Map(),
    findings: [],
    applied: 0,
    conflicts: 0,
    dropped: [],
    transformsByFile: new Map(),
    passes: 0,
    unsettled: false,
  };

  for (let pass = 1; pass <= maxPasses; pass++) {
    const { pkg, trees } = parsePackage(current, dir, pass === 1 ? options.parsed : undefined);
    let candidates: Candidate[];
    const errorsBefore = new Map<string, number>();
    try {
      const found = runTransforms(pkg, transforms);
      if (pass === 1) plan.findings = found.map(locateFinding);
      candidates = found.map(toCandidate).filter((c): c is Candidate => !!c);
      for (const f of pkg.files) errorsBefore.set(f.path, countSyntaxErrors(f.root));
    } finally {
      for (const t of trees) t.delete();
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
    candidates = candidates.filter((c) => {
      const touched = c.edits.find((e) => frozen.has(e.file));
      if (!touched) return true;
      plan.dropped.push({ transform: c.transform, path: c.path, message: c.fix.message, reason: `it edits ${touched.file}, which gomend must not change` });
      return false;
    });
    if (candidates.length === 0) {
      plan.conflicts = 0;
      break;
    }

    const lengths = new Map(current.map((f) => [f.path, f.source.length]));
    let next: SourceFile[] | undefined;
    let accepted: Candidate[] = [];
    let rejectedConflicts = 0;
    // Merge, apply and re-parse; a fix that breaks the syntax is dropped and the merge redone.
    for (let attempt = 0; attempt <= candidates.length && candidates.length > 0; attempt++) {
      const merged = mergeFixes(candidates, (c) => c.edits, (p) => lengths.get(p));
      for (const r of merged.rejected) {
        if (r.reason === 'invalid') {
          plan.dropped.push({ transform: r.item.transform, path: r.item.path, message: r.item.fix.message, reason: `invalid fix: ${r.detail}` });
        }
      }
      rejectedConflicts = merged.rejected.filter((r) => r.reason === 'conflict').length;
      accepted = merged.accepted;
      const trial = current.map((f) => {
        const edits = merged.editsByFile.get(f.path);
        return edits ? { ...f, source: applyEdits(f.source, edits) } : f;
      });
      const broken = trial.filter((f, i) => f !== current[i] && parseErrors(f.source) > (errorsBefore.get(f.path) ?? 0));
      if (broken.length === 0) {
        next = trial;
        break;
      }
      const brokenPaths = new Set(broken.map((f) => f.path));
      const culprits = findCulprits(accepted.filter((c) => c.edits.some((e) => brokenPaths.has(e.file))), current, errorsBefore);
      for (const c of culprits) {
        plan.dropped.push({ transform: c.transform, path: c.path, message: c.fix.message, reason: 'the result did not parse' });
      }
      candidates = candidates.filter((c) => !culprits.has(c) && !merged.rejected.some((r) => r.item === c && r.reason === 'invalid'));
    }
    plan.passes = pass;
    if (!next || accepted.length === 0) break;

    plan.applied += accepted.length;
    for (const c of accepted) {
      for (const e of c.edits) {
        const set = plan.transformsByFile.get(e.file) ?? new Set();
        set.add(c.transform);
        plan.transformsByFile.set(e.file, set);
      }
    }
    current = next;
    const key = snapshot(current);
    if (seen.has(key)) break;
    seen.add(key);
    plan.conflicts = rejectedConflicts;
    if (options.accept) break; // interactive: the user approved exactly these fixes
    if (pass === maxPasses) plan.unsettled = true;
  }
  for (const t of options.parsed?.values() ?? []) t.delete();
  options.parsed?.clear();
  for (const f of current) {
    if (f.source !== original.get(f.path)) plan.outputs.set(f.path, f.source);
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
      return parseErrors(applyEdits(byPath.get(p)!, edits)) > (errorsBefore.get(p) ?? 0);
    });
  });
  return new Set(alone.length > 0 ? alone : suspects.slice(1));
}

function parseErrors(source: string): number {
  const tree = parseGo(source);
  try {
    return countSyntaxErrors(tree.rootNode);
  } finally {
    tree.delete();
  }
}

function snapshot(files: SourceFile[]): string {
  return files.map((f) => `${f.path}\0${f.source}`).join('\0\0');
}
