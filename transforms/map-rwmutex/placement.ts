/**
 * Turns lock regions into edits, placed as a Go reviewer writes them: `mu.Lock()` on its own line
 * before the first statement (below the comment lines that describe it) and `mu.Unlock()` after
 * the last; `defer mu.Unlock()` when the region is the whole function body, or when a jump leaves
 * it outside a loop and the lock can be held to the end of the function; otherwise an explicit
 * `mu.Unlock()` before each `return`, `break` or `continue` that leaves it. A loop that only does
 * quiet work around the map (no channel op, no I/O or unknown call, nothing that takes the lock)
 * runs as one section, as does an if/else whose branches each lock, and sections of one block
 * separated by quiet statements are joined. A one-line function body (`func() { m[k]++ }`) is
 * opened onto several lines. Every region is checked first: what runs under the lock must not
 * block, call unknown code, or take the lock again; ranging that does so needs a snapshot
 * instead, which gomend reports.
 */
import type { Edit } from '../../src/types.js';
import type { GoFile, Node } from './tree.js';
import { canBeTransparent, computePlan } from './accesses.js';
import type { Access, AccessPlan } from './accesses.js';
import type { MapCandidate } from './candidates.js';
import type { Goroutines } from './goroutines.js';
import { funcOf } from './model.js';
import type { Func, PackageIndex } from './model.js';
import { exitsOf, inLoop, joinRegions, loopAround, needsDefer, regionsOf, spanOf, statementsOf, tailOf, terminates, wholeBody } from './regions.js';
import type { Region } from './regions.js';
import { declarationOf } from './resolve.js';
import { operandRoot } from './sites.js';
import type { Site } from './sites.js';
import { riskAt, Summaries } from './summaries.js';
import { calleeName, descendants, enclosingFunction, FUNCTION_TYPES, indentAt, innerExpr, lineEnd, lineOf, lineStart, namedKids, startsLine, within } from './syntax.js';

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

/** Builtins that neither block nor call back. */
const BUILTINS = new Set(['len', 'cap', 'append', 'make', 'new', 'delete', 'copy', 'min', 'max', 'clear', 'complex', 'real', 'imag']);

/** Packages (import paths) whose functions neither block nor do I/O nor call back. */
const QUIET_PACKAGES = new Set(['strings', 'strconv', 'bytes', 'unicode', 'unicode/utf8', 'unicode/utf16', 'math', 'math/bits', 'slices', 'maps', 'sort', 'errors', 'path', 'path/filepath', 'sync/atomic']);

/** Functions of other packages that neither block nor do I/O (formatting to a string). */
const QUIET_FUNCS = /^fmt\.(Sprint|Sprintf|Sprintln|Errorf|Append|Appendf|Appendln)$|^time\.(Now|Since|Until|Duration|Unix|UnixMilli|Date)$/;

/**
 * Why a loop must not run under one lock: a call that may block, do I/O or run unknown code
 * (in the loop or in the package functions it calls), or undefined when it may.
 */
class LoopCheck {
  private memo = new Map<string, string | null>();

  constructor(
    private index: PackageIndex,
    private g: Goroutines,
  ) {}

  blocker(file: GoFile, nodes: Node[], depth = 0): string | undefined {
    for (const n of nodes) {
      for (const call of descendants(n, 'call_expression')) {
        const why = this.call(file, call, depth);
        if (why) return why;
      }
      for (const d of descendants(n, ['send_statement', 'select_statement', 'go_statement', 'defer_statement'])) {
        return `${d.type === 'send_statement' ? 'a channel send' : d.type === 'select_statement' ? 'a select' : d.type === 'go_statement' ? 'a go statement' : 'a defer'} at line ${lineOf(file.source, d.startIndex)}`;
      }
      for (const u of descendants(n, 'unary_expression')) {
        if (u.childForFieldName('operator')?.text === '<-') return `a channel receive at line ${lineOf(file.source, u.startIndex)}`;
      }
    }
    return undefined;
  }

  private call(file: GoFile, call: Node, depth: number): string | undefined {
    const fnExpr = innerExpr(call.childForFieldName('function'));
    const name = calleeName(call);
    const at = `a call of ${fnExpr?.text ?? name} at line ${lineOf(file.source, call.startIndex)}`;
    const inner = enclosingFunction(call);
    const site = inner ? (this.g.callsIn.get(funcOf(this.index, file, inner).key) ?? []).find((s) => s.call.equals(call)) : undefined;
    if (fnExpr?.type === 'identifier' && BUILTINS.has(name) && !site?.targets.length) return undefined;
    if (!site) return undefined; // a conversion
    if (site.unknown) return at;
    if (site.targets.length > 0) {
      if (depth > 4) return at;
      for (const t of site.targets) {
        if (t.node.type === 'func_literal') continue;
        const why = this.func(t, depth + 1);
        if (why) return `${at}, which leads to ${why}`;
      }
      return undefined;
    }
    if (fnExpr?.type === 'selector_expression') {
      const q = innerExpr(fnExpr.childForFieldName('operand'));
      const path = q?.type === 'identifier' ? this.index.importPaths.get(file.path)?.get(q.text) : undefined;
      if (path && (QUIET_PACKAGES.has(path) || QUIET_FUNCS.test(`${path}.${name}`))) return undefined;
    } else if (fnExpr?.type === 'identifier' && !site.external) {
      return undefined; // a conversion to a package type
    }
    return at;
  }

  private func(f: Func, depth: number): string | undefined {
    const cached = this.memo.get(f.key);
    if (cached !== undefined) return cached ?? undefined;
    this.memo.set(f.key, null);
    const body = f.node.childForFieldName('body');
    const why = body ? this.blocker(f.file, [body], depth) : undefined;
    this.memo.set(f.key, why ?? null);
    return why;
  }
}

/** True when a type expression is certainly not a channel (a package type is looked up). */
function notChannelType(index: PackageIndex, t: Node | null): boolean {
  if (!t) return false;
  if (t.type === 'channel_type') return false;
  if (t.type === 'type_identifier') {
    for (const file of index.pkg.files) {
      for (const spec of descendants(file.root, 'type_spec')) {
        if (spec.childForFieldName('name')?.text === t.text && spec.childForFieldName('type')?.type === 'channel_type') return false;
      }
    }
  }
  return true;
}

/**
 * True when ranging over `e` certainly does not receive from a channel: a literal, a builtin or
 * quiet call, a package function or method whose result is no channel, a local or package
 * variable or a field whose declared type or value is no channel.
 */
function notChannel(index: PackageIndex, file: GoFile, e: Node | null, depth = 0): boolean {
  const x = innerExpr(e);
  if (!x || depth > 4) return false;
  switch (x.type) {
    case 'int_literal':
    case 'composite_literal':
    case 'interpreted_string_literal':
    case 'raw_string_literal':
    case 'index_expression':
    case 'slice_expression':
      return true;
    case 'call_expression': {
      const fn = innerExpr(x.childForFieldName('function'));
      const name = calleeName(x);
      if (fn?.type === 'identifier' && (name === 'len' || name === 'append')) return true;
      if (fn?.type === 'identifier' && name === 'make') return notChannelType(index, namedKids(x.childForFieldName('arguments'))[0] ?? null);
      if (fn?.type === 'selector_expression') {
        const q = innerExpr(fn.childForFieldName('operand'));
        const path = q?.type === 'identifier' ? index.importPaths.get(file.path)?.get(q.text) : undefined;
        if (path) return QUIET_PACKAGES.has(path);
      }
      const funcs = fn?.type === 'identifier' ? index.funcs.get(name) : fn?.type === 'selector_expression' ? index.methods.get(name) : undefined;
      return !!funcs?.length && funcs.every((f) => {
        const r = f.node.childForFieldName('result');
        return !!r && r.type !== 'parameter_list' && notChannelType(index, r);
      });
    }
    case 'identifier': {
      const decl = declarationOf(x);
      if (!decl) {
        const specs = index.pkg.files.flatMap((f) => descendants(f.root, 'var_spec').filter((v) => v.parent?.type === 'source_file' || v.parent?.parent?.type === 'source_file').map((v) => ({ f, v })));
        const hit = specs.filter(({ v }) => namedKids(v).some((k) => k.type === 'identifier' && k.text === x.text));
        return hit.length > 0 && hit.every(({ f, v }) => (v.childForFieldName('type') ? notChannelType(index, v.childForFieldName('type')) : notChannel(index, f, namedKids(v.childForFieldName('value'))[0] ?? null, depth + 1)));
      }
      if (FUNCTION_TYPES.has(decl.type)) {
        for (const list of ['receiver', 'parameters']) {
          for (const param of namedKids(decl.childForFieldName(list))) {
            if (namedKids(param).some((n) => n.type === 'identifier' && n.text === x.text)) return notChannelType(index, param.childForFieldName('type'));
          }
        }
        return false;
      }
      if (decl.type === 'short_var_declaration') {
        const left = namedKids(decl.childForFieldName('left'));
        const right = namedKids(decl.childForFieldName('right'));
        const i = left.findIndex((n) => n.text === x.text);
        return i >= 0 && right.length === left.length && notChannel(index, file, right[i], depth + 1);
      }
      if (decl.type === 'var_spec') {
        const t = decl.childForFieldName('type');
        return t ? notChannelType(index, t) : notChannel(index, file, namedKids(decl.childForFieldName('value'))[0] ?? null, depth + 1);
      }
      // A loop variable: an element of what an outer loop ranges over.
      return decl.type === 'range_clause' || decl.type === 'for_statement';
    }
    case 'selector_expression': {
      const name = x.childForFieldName('field')?.text;
      const fields = index.pkg.files.flatMap((f) => descendants(f.root, 'field_declaration')).filter((fd) => namedKids(fd).some((k) => k.type === 'field_identifier' && k.text === name));
      return fields.length > 0 && fields.every((fd) => notChannelType(index, fd.childForFieldName('type')));
    }
    default:
      return false;
  }
}

/** The range over a value that may be a channel in the loop (its loops included), or undefined. */
function rangedChannel(index: PackageIndex, file: GoFile, loop: Node, accesses: Access[]): Node | undefined {
  for (const f of [loop, ...descendants(loop, 'for_statement')]) {
    const clause = namedKids(f).find((k) => k.type === 'range_clause');
    if (!clause) continue;
    if (accesses.some((a) => a.range?.equals(f))) continue;
    const right = clause.childForFieldName('right');
    // `for k, v := range x`: a channel gives one value only (a call may return an iterator).
    const two = namedKids(clause.childForFieldName('left')).length >= 2 && innerExpr(right)?.type !== 'call_expression';
    if (!two && !notChannel(index, file, right)) return clause;
  }
  return undefined;
}

/**
 * Widens the regions inside a loop to the whole loop, outward while it is safe: a loop that
 * rebuilds or ranges the map runs as one critical section (the rebuild stays atomic, and the lock
 * is not taken on every pass), unless the loop may block or call what takes the lock; then its
 * regions stay per iteration.
 */
function hoistLoops(index: PackageIndex, regions: Region[], summaries: Summaries, check: LoopCheck, file: GoFile): Region[] {
  let list = regions;
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of list) {
      const up = loopAround(r);
      if (!up) continue;
      const loop = statementsOf(up.list)[up.index];
      const inside = list.filter((x) => spanOf(x).every((s) => within(s, loop)));
      const widened: Region = { ...r, list: up.list, from: up.index, to: up.index, deferred: false, accesses: inside.flatMap((x) => x.accesses), kind: inside.some((x) => x.kind === 'write') ? 'write' : 'read' };
      if (operandProblem(widened, [loop]) || rangedChannel(index, file, loop, widened.accesses) || summaries.scan(file, [loop]) || check.blocker(file, [loop])) continue;
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

/**
 * Edits for a region that jumps leave: the lock before it, the unlock after it and before each
 * jump out of it (`return`, `break`, `continue`), as a reviewer writes it where a `defer` does
 * not fit; or a reason.
 */
function explicitEdits(region: Region, lockOf: (operand?: string) => string): Edit[] | string {
  const src = region.file.source;
  const exits = exitsOf(region);
  const { unlock } = lockTexts(region, lockOf);
  const edits: Edit[] = [];
  for (const x of exits) {
    const line = lineOf(src, x.startIndex);
    if (x.type === 'call_expression' || x.type === 'goto_statement') return `the statement at line ${line} leaves the locked statements by ${x.type === 'goto_statement' ? 'goto' : 'panic'}`;
    if (!startsLine(src, x)) return `the jump at line ${line} does not start its line`;
    const used = region.accesses.find((a) => within(a.node, x));
    if (used) return `the return at line ${line} reads ${accessName(used)} after the lock would be released`;
    const at = lineStart(src, x.startIndex);
    edits.push({ file: region.file.path, start: at, end: at, text: `${indentAt(src, x.startIndex)}${unlock}\n` });
  }
  const stmts = spanOf(region);
  const placed = regionEdits(region, lockOf);
  if (typeof placed === 'string') return placed;
  // No unlock after a last statement that never completes (it would be unreachable).
  const body = terminates(stmts[stmts.length - 1]) ? placed.slice(0, 1) : placed;
  return [...body, ...edits];
}

/** How an access is named in a message. */
function accessName(a: Access): string {
  return a.via ? `the map through ${a.via}` : 'the map';
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
