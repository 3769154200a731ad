/**
 * Sections: how far one lock reaches. A loop that only does quiet work around the map (no channel
 * op, no I/O or unknown call, nothing that takes the lock) runs as one section, as does an if/else
 * whose branches each lock, and sections of one block separated by quiet statements are joined.
 * Every section is checked: what runs under the lock must not block, call unknown code, or take
 * the lock again; ranging that does so needs a snapshot instead, which gomend reports.
 */
import type { GoFile, Node } from './tree.js';
import type { PackageIndex } from './model.js';
import { rangedChannel } from './quiet.js';
import type { LoopCheck } from './quiet.js';
import { joinRegions, loopAround, spanOf, statementsOf } from './regions.js';
import type { Region } from './regions.js';
import { operandRoot } from './sites.js';
import { riskAt } from './summaries.js';
import type { Summaries } from './summaries.js';
import { descendants, lineOf, within } from './syntax.js';

/** What a region's statements risk under the lock, as a refusal reason. */
export function regionRisk(summaries: Summaries, region: Region, nodes: Node[], label: string): string | undefined {
  const risk = summaries.scan(region.file, nodes);
  if (!risk) return undefined;
  const ranging = region.accesses.find((a) => a.range && within(risk.node, a.range));
  if (ranging) {
    return `it is ranged over at line ${lineOf(region.file.source, ranging.range!.startIndex)} while the loop makes ${riskAt(risk)}; a snapshot of ${label} must be taken under the lock before the loop`;
  }
  return `the lock would be held over ${riskAt(risk)}`;
}

/** Checks that one lock names one value and that value exists before the region. */
export function operandProblem(region: Region, nodes: Node[]): string | undefined {
  const ops = new Set(region.accesses.map((a) => a.operand ?? ''));
  const line = lineOf(region.file.source, region.accesses[0].node.startIndex);
  if (ops.size > 1) return `the statement at line ${line} uses the map of two different values (${[...ops].join(', ')})`;
  const root = region.accesses[0].operandNode ? operandRoot(region.accesses[0].operandNode) : null;
  if (!root) return undefined;
  for (const n of nodes) {
    for (const id of descendants(n, 'identifier')) {
      if (id.text !== root.text) continue;
      const p = id.parent;
      const list = p?.type === 'expression_list' ? p : null;
      const stmt = list?.parent;
      if (stmt && ['short_var_declaration', 'assignment_statement', 'range_clause', 'receive_statement'].includes(stmt.type) && stmt.childForFieldName('left')?.equals(list!)) {
        return `${root.text}, whose lock guards the access at line ${line}, is declared or reassigned inside the locked statements`;
      }
      if (p?.type === 'var_spec' || p?.type === 'parameter_declaration') return `${root.text} is declared again inside the locked statements at line ${line}`;
    }
  }
  return undefined;
}

/**
 * Widens the regions inside a loop to the whole loop, outward while it is safe: a loop that
 * rebuilds or ranges the map runs as one critical section (the rebuild stays atomic, and the lock
 * is not taken on every pass), unless the loop may block or call what takes the lock; then its
 * regions stay per iteration.
 */
export function hoistLoops(index: PackageIndex, regions: Region[], summaries: Summaries, check: LoopCheck, file: GoFile): Region[] {
  let list = regions;
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of list) {
      const up = loopAround(r);
      if (!up) continue;
      const loop = statementsOf(up.list)[up.index];
      const inside = list.filter((x) => spanOf(x).every((s) => within(s, loop)));
      const widened: Region = { ...r, list: up.list, from: up.index, to: up.index, deferred: false, accesses: inside.flatMap((x) => x.accesses), kind: inside.some((x) => x.kind === 'write') ? 'write' : 'read' };
      if (operandProblem(widened, [loop]) || rangedChannel(index, loop, widened.accesses) || summaries.scan(file, [loop]) || check.blocker(file, [loop])) continue;
      list = joinRegions([widened, ...list.filter((x) => !inside.includes(x))]);
      changed = true;
      break;
    }
  }
  return bridgeGaps(liftBranches(list, summaries, check, file), summaries, check, file);
}

/** The `if` or `switch` statement (in a statement list) whose branch holds the region, or undefined. */
function branchingAround(region: Region): { list: Node; index: number; stmt: Node } | undefined {
  let n: Node = region.list;
  for (let p = region.list.parent; p && !p.equals(region.fn); n = p, p = p.parent) {
    if (p.type === 'statement_list') {
      if (!['if_statement', 'expression_switch_statement', 'type_switch_statement'].includes(n.type)) return undefined;
      const index = statementsOf(p).findIndex((x) => x.equals(n));
      return index < 0 ? undefined : { list: p, index, stmt: n };
    }
  }
  return undefined;
}

/**
 * One section around an `if`/`else` or `switch` whose branches each lock (`if v == "" {
 * delete(m, k) } else { m[k] = v }`), when its conditions are quiet: the lock is taken once,
 * whichever branch runs.
 */
function liftBranches(regions: Region[], summaries: Summaries, check: LoopCheck, file: GoFile): Region[] {
  let list = regions;
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of list) {
      const up = branchingAround(r);
      if (!up) continue;
      const inside = list.filter((x) => spanOf(x).every((s) => within(s, up.stmt)));
      const branches = new Set(inside.map((x) => x.list.startIndex));
      if (branches.size < 2) continue;
      const widened: Region = { ...r, list: up.list, from: up.index, to: up.index, deferred: false, accesses: inside.flatMap((x) => x.accesses), kind: inside.some((x) => x.kind === 'write') ? 'write' : 'read' };
      if (operandProblem(widened, [up.stmt]) || summaries.scan(file, [up.stmt]) || check.blocker(file, [up.stmt])) continue;
      list = joinRegions([widened, ...list.filter((x) => !inside.includes(x))]);
      changed = true;
      break;
    }
  }
  return list;
}

/**
 * Joins two sections of one block when only quiet statements lie between them (no call that
 * may block, nothing the lock must not cover; a jump out is unlocked like any other): `clear(m)`, `n := 0`, then a loop
 * refilling `m` is one rebuild, and readers must not see it half done.
 */
function bridgeGaps(regions: Region[], summaries: Summaries, check: LoopCheck, file: GoFile): Region[] {
  let list = regions;
  for (let changed = true; changed; ) {
    changed = false;
    for (const a of list) {
      const b = list.find((x) => x !== a && x.list.equals(a.list) && x.from > a.to);
      if (!b || list.some((x) => x !== a && x !== b && x.list.equals(a.list) && x.from > a.to && x.from < b.from)) continue;
      const gap = statementsOf(a.list).slice(a.to + 1, b.from);
      if (gap.some((g) => descendants(g, ['goto_statement', 'labeled_statement', 'defer_statement']).length > 0)) continue;
      const joined: Region = { ...a, to: b.to, deferred: false, accesses: [...a.accesses, ...b.accesses], kind: a.kind === 'write' || b.kind === 'write' ? 'write' : 'read' };
      if (operandProblem(joined, spanOf(joined)) || summaries.scan(file, gap) || check.blocker(file, gap)) continue;
      list = joinRegions([joined, ...list.filter((x) => x !== a && x !== b)]);
      changed = true;
      break;
    }
  }
  return list;
}
