/**
 * What may run under a lock for a whole loop or branch: no call that may block, do I/O or run
 * unknown code (in the statements or in the package functions they call), no channel operation,
 * no ranging over what may be a channel.
 */
import { enclosingFunc, isUnknown, kids, underlying } from '../../src/go/index.js';
import type { GoFile, Node } from './tree.js';
import type { Access } from './accesses.js';
import type { Goroutines } from './goroutines.js';
import { funcOf } from './model.js';
import type { Func, PackageIndex } from './model.js';
import { calleeName, descendants, innerExpr, lineOf } from './syntax.js';

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
export class LoopCheck {
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
    const inner = enclosingFunc(call);
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

/**
 * True when ranging over `e` certainly receives from no channel: its type is known and is none
 * (nor a type parameter, which may be one).
 */
function notChannel(index: PackageIndex, e: Node | null): boolean {
  const x = innerExpr(e);
  const t = x ? index.model.typeOf(x) : undefined;
  const u = t && !isUnknown(t) ? underlying(t) : undefined;
  return !!u && u.kind !== 'chan' && u.kind !== 'typeparam' && u.kind !== 'unknown';
}

/** The range over a value that may be a channel in the loop (its loops included), or undefined. */
export function rangedChannel(index: PackageIndex, loop: Node, accesses: Access[]): Node | undefined {
  for (const f of [loop, ...descendants(loop, 'for_statement')]) {
    const clause = kids(f).find((k) => k.type === 'range_clause');
    if (!clause) continue;
    if (accesses.some((a) => a.range?.equals(f))) continue;
    const right = clause.childForFieldName('right');
    // `for k, v := range x`: a channel gives one value only (a call may return an iterator).
    const two = kids(clause.childForFieldName('left')).length >= 2 && innerExpr(right)?.type !== 'call_expression';
    if (!two && !notChannel(index, right)) return clause;
  }
  return undefined;
}
