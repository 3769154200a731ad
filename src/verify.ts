/**
 * Verification, in one place: a package's plan is accepted only when every file it changes reads
 * back whole and gofmt accepts it. Planning itself already drops a fix whose result adds a syntax
 * error (plan.ts); this checks the files as planned, over all passes together:
 *
 * - Go's parser is the judge of what is valid Go: a file tree-sitter cannot read whole but gofmt
 *   accepts is planned again, worked on outside the parts tree-sitter cannot read (see syntax.ts);
 * - each changed file is parsed again (a file read only in part must not gain unreadable parts)
 *   and piped through gofmt: gofmt-clean where the file was, laid out by gofmt for the transforms
 *   that ask (see gofmt.ts);
 * - a file whose planned output fails, or whose fixes did not settle, is rolled back: it is frozen
 *   and the package planned again without the fixes that touch it, so a fix spanning several files
 *   is never half applied.
 *
 * Without gofmt the checks are the re-parse alone.
 */
import { layoutWithGofmt } from './gofmt.js';
import { syntaxErrorCount } from './parse.js';
import { planPackage } from './plan.js';
import type { PackagePlan, PlanOptions, SourceFile } from './plan-types.js';
import { goAccepts } from './syntax.js';
import type { GoVerdict } from './syntax.js';
import type { AnyTransform } from './types.js';

/** A package's plan once every changed file verifies, and what was rolled back on the way. */
export interface VerifiedPlan {
  plan: PackagePlan;
  /** Files left unchanged because their planned output failed, with the reason for users. */
  failures: Map<string, string>;
  /** Files that must not change: `options.frozen` and every file rolled back. */
  frozen: ReadonlySet<string>;
  /** gofmt's verdict on each file tree-sitter could not read whole (only when gofmt was found). */
  goVerdicts: Map<string, GoVerdict>;
}

/** Plans one package (see plan.ts) and verifies it: see the module comment. */
export async function planVerified(sources: SourceFile[], transforms: AnyTransform[], options: PlanOptions, dir: string, gofmtBin: string | undefined): Promise<VerifiedPlan> {
  const sourceOf = new Map(sources.map((s) => [s.path, s.source]));
  const frozen = new Set<string>(options.frozen ?? []);
  const failures = new Map<string, string>();
  const planOptions: PlanOptions = { ...options };
  let plan = planPackage(sources, transforms, { ...planOptions, frozen }, dir);
  // Planned again until no new file needs judging: the verdicts only grow, so this ends.
  const goVerdicts = new Map<string, GoVerdict>();
  while (gofmtBin) {
    const unjudged = [...plan.syntaxErrors.keys()].filter((p) => !goVerdicts.has(p));
    for (const p of unjudged) goVerdicts.set(p, await goAccepts(gofmtBin, sourceOf.get(p)!));
    if (!unjudged.some((p) => goVerdicts.get(p)!.valid)) break;
    planOptions.localErrors = new Set([...goVerdicts].filter(([, v]) => v.valid).map(([p]) => p));
    plan = planPackage(sources, transforms, { ...planOptions, frozen }, dir);
  }
  // Verify every changed file; freeze the failures and plan again until a plan verifies whole
  // (the frozen set only grows, so this ends).
  for (;;) {
    const failed: string[] = [];
    if (plan.unsettled) {
      for (const p of plan.outputs.keys()) {
        const names = [...(plan.transformsByFile.get(p) ?? [])].join(', ');
        failures.set(p, `fixes did not settle after 10 passes (${names}): a transform keeps matching its own output; file left unchanged`);
        failed.push(p);
      }
    }
    for (const [p, text] of plan.outputs) {
      if (failed.includes(p)) continue;
      const reason = await verifyOutput(plan, p, sourceOf.get(p)!, text, gofmtBin);
      if (reason) {
        const names = [...(plan.transformsByFile.get(p) ?? [])].join(', ');
        failures.set(p, `verification failed (${names}): ${reason}; file left unchanged`);
        failed.push(p);
      }
    }
    if (failed.length === 0) break;
    for (const p of failed) frozen.add(p);
    plan = planPackage(sources, transforms, { ...planOptions, frozen }, dir);
  }
  return { plan, failures, frozen, goVerdicts };
}

/**
 * Checks one planned output against the file's text `before`: the reason it fails, or undefined.
 * When gofmt lays the file out (or the change comes to nothing), `plan.outputs` takes its text.
 */
async function verifyOutput(plan: PackagePlan, p: string, before: string, text: string, gofmtBin: string | undefined): Promise<string | undefined> {
  const errors = syntaxErrorCount(text);
  // A file read only in part keeps its unreadable parts; an edit must not add to them.
  const broken = errors > 0 && (!plan.localErrors.has(p) || errors > syntaxErrorCount(before));
  if (broken) return 'the result does not parse';
  if (!gofmtBin) return undefined;
  // gofmt-clean where the file was; laid out by gofmt for transforms that ask (see gofmt.ts).
  const laid = await layoutWithGofmt(gofmtBin, before, text, plan.gofmtLayout.has(p));
  if (!laid.ok) return laid.reason;
  if (laid.text === before) plan.outputs.delete(p);
  else if (laid.text !== text) plan.outputs.set(p, laid.text);
  return undefined;
}
