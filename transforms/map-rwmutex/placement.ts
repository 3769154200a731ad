/**
 * Turns lock regions into edits: `defer mu.Unlock()` when the region is the whole function body,
 * or when a jump leaves it outside a loop and the lock can be held to the end of the function;
 * otherwise an explicit `mu.Unlock()` before each `return`, `break` or `continue` that leaves it.
 * sections.ts widens regions to loops and branches and checks what runs under the lock
 * (quiet.ts), lockedits.ts writes the lock and unlock lines.
 */
import type { Edit } from '../../src/types.js';
import { enclosingFunc } from '../../src/go/syntax.js';
import type { GoFile, Node } from './tree.js';
import { canBeTransparent, computePlan } from './accesses.js';
import type { Access, AccessPlan } from './accesses.js';
import type { MapCandidate } from './candidates.js';
import type { Goroutines } from './goroutines.js';
import { explicitEdits, oneLineBlock, openBlock, regionEdits } from './lockedits.js';
import { funcOf } from './model.js';
import type { PackageIndex } from './model.js';
import { LoopCheck } from './quiet.js';
import { inLoop, needsDefer, regionsOf, spanOf, tailOf, wholeBody } from './regions.js';
import type { Region } from './regions.js';
import { hoistLoops, operandProblem, regionRisk } from './sections.js';
import type { Site } from './sites.js';
import { Summaries } from './summaries.js';
import { descendants, lineOf, within } from './syntax.js';

/** Groups accesses by the function body they sit in. */
function byBody(index: PackageIndex, accesses: Access[]): { file: GoFile; fn: Node; accesses: Access[] }[] {
  const groups = new Map<string, { file: GoFile; fn: Node; accesses: Access[] }>();
  for (const a of accesses) {
    const key = funcOf(index, a.file, a.body).key;
    const g = groups.get(key) ?? { file: a.file, fn: a.body, accesses: [] };
    g.accesses.push(a);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/**
 * Accessors called where the lock would already be held, which can leave locking to their
 * callers instead ("lock in the outer one only").
 */
function nestedAccessors(index: PackageIndex, g: Goroutines, c: MapCandidate, plan: AccessPlan): string[] {
  const out = new Set<string>();
  for (const { file, fn, accesses } of byBody(index, plan.accesses)) {
    const regions = regionsOf(file, fn, accesses);
    if (typeof regions === 'string') continue;
    for (const r of regions) {
      const nodes = needsDefer(r) && !wholeBody(r) ? [...spanOf(r), ...tailOf(r)] : spanOf(r);
      for (const n of nodes) {
        for (const call of descendants(n, 'call_expression')) {
          const inner = enclosingFunc(call);
          if (!inner) continue;
          const site = (g.callsIn.get(funcOf(index, file, inner).key) ?? []).find((cs) => cs.call.equals(call));
          for (const t of site?.targets ?? []) {
            if (plan.locking.has(t.key) && !plan.transparent.has(t.key) && canBeTransparent(index, g, c, plan, t)) out.add(t.key);
          }
        }
      }
    }
  }
  return [...out];
}

/**
 * Places the locks of every access, or says why not. `held`: keys of functions that already take
 * the lock (an existing mutex), which must not be called under the new locks either.
 */
export function placeLocks(index: PackageIndex, g: Goroutines, c: MapCandidate, sites: Site[], lockOf: (operand?: string) => string, held?: ReadonlySet<string>): Edit[] | string {
  const transparent = new Set<string>();
  for (let round = 0; round < 50; round++) {
    const plan = computePlan(index, g, sites, transparent);
    const grown = nestedAccessors(index, g, c, plan);
    const checked = held ? { ...plan, locking: new Set([...plan.locking, ...held]) } : plan;
    if (grown.length === 0) return emit(index, g, plan, new Summaries(index, g, checked, c.label), lockOf, c.label);
    for (const k of grown) transparent.add(k);
  }
  return 'its accessors call each other too deeply to follow';
}

/** The edits of every region of a settled plan, or a reason. */
function emit(index: PackageIndex, g: Goroutines, plan: AccessPlan, summaries: Summaries, lockOf: (operand?: string) => string, label: string): Edit[] | string {
  const edits: Edit[] = [];
  const check = new LoopCheck(index, g);
  for (const { file, fn, accesses } of byBody(index, plan.accesses)) {
    const found = regionsOf(file, fn, accesses);
    if (typeof found === 'string') return found;
    const regions = hoistLoops(index, found, summaries, check, file);
    const done = new Set<Region>();
    const opened = new Map<string, { block: Node; regions: Region[] }>();
    for (const r of regions) {
      if (done.has(r)) continue;
      let nodes = spanOf(r);
      const whole = wholeBody(r);
      if (needsDefer(r) && !whole) {
        // Explicit unlocks before each exit: in a loop (a defer would wait for the function), or
        // where holding the lock to the end of the function is not possible.
        const deferred = inLoop(r) ? undefined : deferredProblem(r, regions, done, summaries, label, fn);
        if (deferred === undefined && !inLoop(r)) {
          r.deferred = true;
          const placed = regionEdits(r, lockOf);
          if (typeof placed === 'string') return placed;
          done.add(r);
          edits.push(...placed);
          continue;
        }
        const problem = operandProblem(r, nodes) ?? regionRisk(summaries, r, nodes, label);
        if (problem) return problem;
        const placed = explicitEdits(r, lockOf);
        if (typeof placed === 'string') {
          if (inLoop(r)) return `a jump leaves the statement at line ${lineOf(file.source, nodes[0].startIndex)}, inside a loop, and ${placed}`;
          return deferred!;
        }
        done.add(r);
        edits.push(...placed);
        continue;
      }
      if (whole) {
        r.deferred = true;
        if (descendants(fn, 'goto_statement').length > 0) return `the function around line ${lineOf(file.source, nodes[0].startIndex)} uses goto`;
      }
      const problem = operandProblem(r, nodes) ?? regionRisk(summaries, r, nodes, label);
      if (problem) return problem;
      const placed = regionEdits(r, lockOf);
      done.add(r);
      if (placed === 'one-line') {
        const block = oneLineBlock(r);
        if (!block) return `the statement at line ${lineOf(file.source, nodes[0].startIndex)} does not start its line`;
        const key = `${block.startIndex}`;
        opened.set(key, { block, regions: [...(opened.get(key)?.regions ?? []), r] });
        continue;
      }
      if (typeof placed === 'string') return placed;
      edits.push(...placed);
    }
    for (const { block, regions: rs } of opened.values()) edits.push(openBlock(file, block, rs, lockOf));
  }
  return edits;
}

/**
 * Holding the lock of a region that a jump leaves to the end of its function (`defer`): the
 * regions after it join it. Undefined when that is possible (the later regions are then marked
 * done and their accesses moved into `r`), else the reason.
 */
function deferredProblem(r: Region, regions: Region[], done: Set<Region>, summaries: Summaries, label: string, fn: Node): string | undefined {
  const file = r.file;
  const tail = tailOf(r);
  const nodes = [...spanOf(r), ...tail];
  if (descendants(fn, 'goto_statement').length > 0) return `the function around line ${lineOf(file.source, nodes[0].startIndex)} uses goto`;
  const joined = regions.filter((other) => other !== r && !done.has(other) && tail.some((t) => within(spanOf(other)[0], t)));
  const trial: Region = { ...r, accesses: [...r.accesses, ...joined.flatMap((o) => o.accesses)], kind: [r, ...joined].some((o) => o.kind === 'write') ? 'write' : 'read' };
  const problem = operandProblem(trial, nodes) ?? regionRisk(summaries, trial, nodes, label);
  if (problem) return problem;
  r.accesses = trial.accesses;
  r.kind = trial.kind;
  for (const o of joined) done.add(o);
  return undefined;
}
