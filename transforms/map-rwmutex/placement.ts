/**
 * Turns lock regions into edits: `mu.Lock()` before the first statement and `mu.Unlock()` after
 * the last, each on its own line at the statement's indentation, or `mu.Lock()` plus
 * `defer mu.Unlock()` when the region is the whole function body or a jump may leave it. A
 * one-line function body (`func() { m[k]++ }`) is opened onto several lines. Every region is
 * checked first: what runs under the lock must not block, call unknown code, or take the lock
 * again; ranging that does so needs a snapshot instead, which gomend reports.
 */
import type { Edit } from '../../src/types.js';
import type { GoFile, Node } from './tree.js';
import { canBeTransparent, computePlan } from './accesses.js';
import type { Access, AccessPlan } from './accesses.js';
import type { MapCandidate } from './candidates.js';
import type { Goroutines } from './goroutines.js';
import { funcOf } from './model.js';
import type { PackageIndex } from './model.js';
import { inLoop, needsDefer, regionsOf, spanOf, statementsOf, tailOf, wholeBody } from './regions.js';
import type { Region } from './regions.js';
import { operandRoot } from './sites.js';
import type { Site } from './sites.js';
import { riskAt, Summaries } from './summaries.js';
import { descendants, enclosingFunction, indentAt, lineEnd, lineOf, lineStart, namedKids, startsLine, within } from './syntax.js';

/**
 * Where the lock line goes: the start of `stmt`'s own line. Comment lines directly above the
 * statement describe it, and a Go reviewer reads them as the heading of the locked statements:
 * they stay above the lock.
 */
function lockPoint(source: string, stmt: Node): number {
  return lineStart(source, stmt.startIndex);
}

/** Where the unlock line goes: after `stmt` and any comment ending its line; undefined if code follows. */
function unlockPoint(source: string, stmt: Node): number | undefined {
  const end = lineEnd(source, stmt.endIndex);
  const rest = source.slice(stmt.endIndex, end).trim();
  if (rest === '') return stmt.endIndex;
  if (rest.startsWith('//') || /^\/\*((?!\*\/).)*\*\/$/.test(rest)) return end;
  return undefined;
}

/** The indentation of a statement's own line (for a labelled statement, of the statement it labels). */
function statementIndent(source: string, stmt: Node): string {
  if (stmt.type === 'labeled_statement') {
    const inner = namedKids(stmt).find((k) => k.type !== 'label_name');
    if (inner) return indentAt(source, inner.startIndex);
  }
  return indentAt(source, stmt.startIndex);
}

/** What a region's statements risk under the lock, as a refusal reason. */
function regionRisk(summaries: Summaries, region: Region, nodes: Node[], label: string): string | undefined {
  const risk = summaries.scan(region.file, nodes);
  if (!risk) return undefined;
  const ranging = region.accesses.find((a) => a.range && within(risk.node, a.range));
  if (ranging) {
    return `it is ranged over at line ${lineOf(region.file.source, ranging.range!.startIndex)} while the loop makes ${riskAt(risk)}; a snapshot of ${label} must be taken under the lock before the loop`;
  }
  return `the lock would be held over ${riskAt(risk)}`;
}

/** Checks that one lock names one value and that value exists before the region. */
function operandProblem(region: Region, nodes: Node[]): string | undefined {
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

/** Lock and unlock text for a region. */
function lockTexts(region: Region, lockOf: (operand?: string) => string): { lock: string; unlock: string } {
  const mu = lockOf(region.accesses[0].operand);
  return region.kind === 'write' ? { lock: `${mu}.Lock()`, unlock: `${mu}.Unlock()` } : { lock: `${mu}.RLock()`, unlock: `${mu}.RUnlock()` };
}

/**
 * Edits placing one region's lock, a reason it cannot be placed, or 'one-line' when its block
 * must be opened.
 *
 * TODO: a Lock/Unlock pair is not released by a runtime panic inside it (only an explicit `panic`
 * switches to `defer`); a recovered panic there would leave the lock held.
 */
function regionEdits(region: Region, lockOf: (operand?: string) => string): Edit[] | string {
  const src = region.file.source;
  const stmts = spanOf(region);
  const first = stmts[0];
  const last = stmts[stmts.length - 1];
  const { lock, unlock } = lockTexts(region, lockOf);
  const file = region.file.path;
  if (startsLine(src, first)) {
    const indent = statementIndent(src, first);
    const at = lockPoint(src, first);
    if (region.deferred) return [{ file, start: at, end: at, text: `${indent}${lock}\n${indent}defer ${unlock}\n` }];
    const after = unlockPoint(src, last);
    if (after === undefined) return `code follows the statement at line ${lineOf(src, last.startIndex)} on its line`;
    return [
      { file, start: at, end: at, text: `${indent}${lock}\n` },
      { file, start: after, end: after, text: `\n${indent}${unlock}` },
    ];
  }
  return `one-line`;
}

/** True when a region's statements sit in a one-line block gomend can open onto several lines. */
function oneLineBlock(region: Region): Node | undefined {
  const block = region.list.parent;
  if (!block || block.type !== 'block' || block.text.includes('\n')) return undefined;
  if (region.list.namedChildren.some((c) => c?.type === 'comment')) return undefined;
  return block;
}

/** Rewrites a one-line block onto several lines with the locks of its regions: `func() { m[k]++ }`. */
function openBlock(file: GoFile, block: Node, regions: Region[], lockOf: (operand?: string) => string): Edit {
  const src = file.source;
  const base = indentAt(src, block.startIndex);
  const inner = `${base}\t`;
  const stmts = statementsOf(regions[0].list);
  const lines: string[] = [];
  stmts.forEach((stmt, i) => {
    for (const r of regions) {
      if (r.from !== i) continue;
      const { lock, unlock } = lockTexts(r, lockOf);
      lines.push(lock);
      if (r.deferred) lines.push(`defer ${unlock}`);
    }
    lines.push(stmt.text);
    for (const r of regions) if (r.to === i && !r.deferred) lines.push(lockTexts(r, lockOf).unlock);
  });
  return { file: file.path, start: block.startIndex + 1, end: block.endIndex - 1, text: `\n${lines.map((l) => inner + l).join('\n')}\n${base}` };
}

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
          const inner = enclosingFunction(call);
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

/** Places the locks of every access, or says why not. */
export function placeLocks(index: PackageIndex, g: Goroutines, c: MapCandidate, sites: Site[], lockOf: (operand?: string) => string): Edit[] | string {
  const transparent = new Set<string>();
  for (let round = 0; round < 50; round++) {
    const plan = computePlan(index, g, sites, transparent);
    const grown = nestedAccessors(index, g, c, plan);
    if (grown.length === 0) return emit(index, plan, new Summaries(index, g, plan, c.label), lockOf, c.label);
    for (const k of grown) transparent.add(k);
  }
  return 'its accessors call each other too deeply to follow';
}

/** The edits of every region of a settled plan, or a reason. */
function emit(index: PackageIndex, plan: AccessPlan, summaries: Summaries, lockOf: (operand?: string) => string, label: string): Edit[] | string {
  const edits: Edit[] = [];
  for (const { file, fn, accesses } of byBody(index, plan.accesses)) {
    const regions = regionsOf(file, fn, accesses);
    if (typeof regions === 'string') return regions;
    const done = new Set<Region>();
    const opened = new Map<string, { block: Node; regions: Region[] }>();
    for (const r of regions) {
      if (done.has(r)) continue;
      let nodes = spanOf(r);
      const whole = wholeBody(r);
      if (needsDefer(r) || whole) {
        if (!whole && inLoop(r)) return `a jump leaves the statement at line ${lineOf(file.source, nodes[0].startIndex)}, inside a loop, so its lock would need a defer in the loop`;
        r.deferred = true;
        if (!whole) {
          const tail = tailOf(r);
          for (const other of regions) {
            if (other !== r && !done.has(other) && tail.some((t) => within(spanOf(other)[0], t))) {
              r.kind = r.kind === 'write' || other.kind === 'write' ? 'write' : 'read';
              r.accesses.push(...other.accesses);
              done.add(other);
            }
          }
          nodes = [...nodes, ...tail];
        }
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
