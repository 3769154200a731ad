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
import { candidatesOf, locateFinding } from './candidates.js';
import { applyEdits, compareEdits, mergeFixes, resolveEdits } from './edits.js';
import { parseGo, syntaxErrorCount } from './parse.js';
import { openPackage, runTransforms } from './pass.js';
import type { Candidate, PackagePlan, PlanOptions, SourceFile } from './plan-types.js';
import { errorRegionsOf, nearRegion, syntaxErrorReason, treeSitterError } from './syntax.js';
import type { Region } from './syntax.js';
import type { AnyTransform, GoFile } from './types.js';

// The planner's API in one place for its callers (the library, tests): what a pass offers lives in
// candidates.ts, the types in plan-types.ts.
export { collectCandidates, locate } from './candidates.js';
export type { Candidate, Dropped, LocatedFinding, PackagePlan, PlanOptions, SourceFile } from './plan-types.js';

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

function snapshot(files: SourceFile[]): string {
  return files.map((f) => `${f.path}\0${f.source}`).join('\0\0');
}
