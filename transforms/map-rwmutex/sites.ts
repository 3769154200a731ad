/**
 * Every use of a candidate map in the package, classified.
 *
 * A use is a read (`m[k]`, `v, ok := m[k]`, `len(m)`, ranging, `m == nil`) or a write (`m[k] = v`,
 * `m[k]++`, `m[k] op= v`, `delete`, `clear`, assigning the map itself). Any other use hands the map
 * itself to code gomend cannot follow (returned, stored, passed, sent) and is recorded as a problem
 * that stops the fix: callers would then use the map outside the lock.
 */
import type { GoFile, Node } from './tree.js';
import type { MapCandidate } from './candidates.js';
import { ownerOf } from './goroutines.js';
import type { Goroutines } from './goroutines.js';
import { underlying, deref } from '../../src/go/types.js';
import type { Type } from '../../src/go/types.js';
import { fieldIdentsNamed } from './model.js';
import type { Func, PackageIndex } from './model.js';
import { declaredLocally } from './resolve.js';
import { descendants, enclosingFunction, innerExpr, lineOf, namedKids, outerExpr } from './syntax.js';

/** Which lock an access needs: RLock for reads, Lock for writes. */
export type Kind = 'read' | 'write';

/** One use of the map, classified. */
export interface Site {
  file: GoFile;
  /** The map expression: the identifier, or the `x.field` selector. */
  expr: Node;
  kind: Kind;
  /** The function the site runs in for goroutine purposes (declaration or spawned literal). */
  owner: Func | null;
  /** The innermost function node (declaration or any literal): where its lock goes. */
  body: Node | null;
  /** The struct value holding a field (`ix` in `ix.words`). */
  operand?: Node;
  /** In a package-level initialiser: runs before main, never locked. */
  initTime: boolean;
  /** Why this use stops the fix. */
  problem?: string;
  /** The for statement when the site is `range m`. */
  range?: Node;
  /** Writes into a value stored in the map (`m[k][i] = v`, `m[k].f = v`). */
  inPlace?: boolean;
  /** The key expression of `m[k]`. */
  key?: string;
  /** A write through a struct value built in the same function (initialisation). */
  fresh?: boolean;
  /** Handed to a test's assertion (`require.Len(t, m, 1)`): read, kept by nothing. */
  assertion?: boolean;
  /** `m[k]` node for index uses. */
  index?: Node;
  /** `defer delete(m, k)` or `defer clear(m)`: the defer statement (the write runs when the function returns). */
  deferred?: Node;
  /** The embedded fields between the holder and a promoted field (`Inner` for `x.m` of `x.Inner.m`). */
  via?: string;
}

const BUILTIN_READS = new Set(['len']);

/**
 * Calls that read what they are given and keep nothing once they return: testify's assertions
 * (`require.Len(t, w.jobs, 0)`) and `reflect.DeepEqual`, each spelled with its package's default
 * name in a file importing it. A map passed to one is read under the lock like any other read;
 * in a test, the assertion is left as it is (see `testPrivate`).
 */
function readOnlyCall(file: GoFile, fn: Node | null): boolean {
  if (fn?.type !== 'selector_expression') return false;
  const pkg = innerExpr(fn.childForFieldName('operand'));
  const name = fn.childForFieldName('field')?.text ?? '';
  if (pkg?.type !== 'identifier' || declaredLocally(pkg)) return false;
  if (pkg.text === 'require' || pkg.text === 'assert') return file.source.includes(`"github.com/stretchr/testify/${pkg.text}"`);
  return pkg.text === 'reflect' && name === 'DeepEqual' && file.source.includes('"reflect"');
}

function assignmentSide(node: Node): 'left' | 'right' | undefined {
  const list = node.parent;
  if (list?.type !== 'expression_list') return undefined;
  const stmt = list.parent;
  if (!stmt || (stmt.type !== 'assignment_statement' && stmt.type !== 'short_var_declaration' && stmt.type !== 'var_spec')) return undefined;
  if (stmt.childForFieldName('left')?.equals(list)) return 'left';
  if (stmt.childForFieldName('right')?.equals(list) || stmt.childForFieldName('value')?.equals(list)) return 'right';
  return undefined;
}

/** Climbs `x[i]`, `x.f`, `*x` and parentheses from a value read out of the map. */
function placeChain(node: Node): Node {
  let n = outerExpr(node);
  for (;;) {
    const p = n.parent;
    if (!p) return n;
    if ((p.type === 'index_expression' || p.type === 'selector_expression' || p.type === 'slice_expression') && p.childForFieldName('operand')?.equals(n)) n = outerExpr(p);
    else if (p.type === 'unary_expression' && p.childForFieldName('operator')?.text === '*') n = outerExpr(p);
    else return n;
  }
}

/** True for a write target: the left of an assignment or an inc/dec statement. */
function isWritten(node: Node): boolean {
  if (assignmentSide(node) === 'left') return true;
  return node.parent?.type === 'inc_statement' || node.parent?.type === 'dec_statement';
}

/** Classifies one use of the map expression `expr` (identifier or selector). */
function classify(site: Site): void {
  const e = outerExpr(site.expr);
  const p = e.parent;
  const at = `${site.file.path.split('/').pop()}:${lineOf(site.file.source, e.startIndex)}`;
  const fn = site.body?.type === 'func_literal' ? '' : site.body?.childForFieldName('name')?.text;
  const by = fn ? ` by ${fn}` : '';
  if (!p) return;
  if (p.type === 'index_expression' && p.childForFieldName('operand')?.equals(e)) {
    site.index = p;
    site.key = p.childForFieldName('index')?.text;
    const idx = outerExpr(p);
    if (isWritten(idx)) {
      site.kind = 'write';
      return;
    }
    const top = placeChain(idx);
    if (!top.equals(idx) && isWritten(top)) site.inPlace = true;
    return;
  }
  if (p.type === 'argument_list') {
    const call = p.parent!;
    const fn = innerExpr(call.childForFieldName('function'));
    const builtin = fn?.type === 'identifier' && !declaredLocally(fn) ? fn.text : '';
    const first = namedKids(p)[0]?.equals(e);
    const later = ['defer_statement', 'go_statement'].includes(outerExpr(call).parent?.type ?? '');
    if ((builtin === 'delete' || builtin === 'clear') && first && later) {
      site.kind = 'write';
      const stmt = outerExpr(call).parent!;
      if (stmt.type === 'defer_statement') site.deferred = stmt;
      else site.problem = `it is written by a go call of ${builtin} at ${at}, which runs where no lock can be placed`;
    }
    else if ((builtin === 'delete' || builtin === 'clear') && first) site.kind = 'write';
    else if (!BUILTIN_READS.has(builtin)) {
      const readOnly = readOnlyCall(site.file, fn);
      if (readOnly && !site.file.isTest) return;
      site.problem = `it is passed to ${fn?.text ?? 'a call'} at ${at}, which could use it outside the lock`;
      // A test's assertion keeps nothing; left unlocked (a failing `require` stops the test
      // goroutine and would leave a lock taken around it held), it blocks nothing either.
      if (readOnly) site.assertion = true;
    }
    return;
  }
  if (p.type === 'range_clause' && p.childForFieldName('right')?.equals(e)) {
    site.range = p.parent ?? undefined;
    return;
  }
  const side = assignmentSide(e);
  if (side === 'left') {
    site.kind = 'write';
    return;
  }
  if (side === 'right') {
    site.problem = `it is stored in another variable at ${at}, which could be used outside the lock`;
    return;
  }
  if (p.type === 'binary_expression' && ['==', '!='].includes(p.childForFieldName('operator')?.text ?? '')) {
    const other = p.childForFieldName('left')?.equals(e) ? p.childForFieldName('right') : p.childForFieldName('left');
    if (other?.text === 'nil') return;
  }
  if (p.type === 'expression_list' && p.parent?.type === 'return_statement') {
    site.problem = `it is returned${by} at ${at}, so callers would use it outside the lock`;
    return;
  }
  if (p.type === 'send_statement') {
    site.problem = `it is sent on a channel at ${at}, so the receiver would use it outside the lock`;
    return;
  }
  if (p.type === 'literal_element' || p.type === 'keyed_element') {
    site.problem = `it is stored in a composite literal at ${at}, which could be used outside the lock`;
    return;
  }
  site.problem = `it is used at ${at} in a way gomend does not follow (${p.type.replace(/_/g, ' ')})`;
}

/** True for a struct operand whose lock can be named again without side effects. */
export function pureOperand(node: Node): boolean {
  const n = innerExpr(node);
  if (!n) return false;
  if (n.type === 'identifier') return true;
  if (n.type === 'selector_expression') return pureOperand(n.childForFieldName('operand')!);
  if (n.type === 'unary_expression' && n.childForFieldName('operator')?.text === '*') return pureOperand(n.childForFieldName('operand')!);
  return false;
}

/** The variable at the root of an operand chain (`s` in `s.idx`). */
export function operandRoot(node: Node): Node | null {
  const n = innerExpr(node);
  if (!n) return null;
  if (n.type === 'identifier') return n;
  if (n.type === 'selector_expression' || n.type === 'unary_expression') return operandRoot(n.childForFieldName('operand')!);
  return null;
}

/** True when `root` is a local built in its own function (`x := &T{…}`, `var x T`, `x := new(T)`). */
export function freshLocal(root: Node): boolean {
  const fn = enclosingFunction(root);
  if (!fn || !declaredLocally(root)) return false;
  for (const d of descendants(fn, ['short_var_declaration', 'var_spec'])) {
    const names = d.type === 'var_spec' ? [d.childForFieldName('name')] : namedKids(d.childForFieldName('left'));
    const values = namedKids(d.childForFieldName(d.type === 'var_spec' ? 'value' : 'right'));
    const i = names.findIndex((n) => n?.text === root.text);
    if (i < 0) continue;
    if (d.type === 'var_spec' && values.length === 0) return true;
    let v = innerExpr(values[i] ?? null);
    if (v?.type === 'unary_expression' && v.childForFieldName('operator')?.text === '&') v = innerExpr(v.childForFieldName('operand'));
    if (v?.type === 'composite_literal') return true;
    if (v?.type === 'call_expression' && v.childForFieldName('function')?.text === 'new') return true;
  }
  return false;
}

/**
 * True for a use in a test on a value the test function built itself (`e := executor{…}`) when
 * that function starts no goroutine: the test works on its own value one step at a time, so
 * what it does with the map there (`fmt.Println(e.status)`) is no reason to leave the package's
 * racing uses unguarded, and that use needs no lock. So for a test's assertion on the map
 * (`require.Len(t, m, 1)`): it keeps nothing.
 */
export function testPrivate(s: Site): boolean {
  if (s.assertion) return true;
  if (!s.file.isTest || !s.operand) return false;
  const root = operandRoot(s.operand);
  const fn = root && enclosingFunction(root);
  return !!fn && freshLocal(root) && descendants(fn, 'go_statement').length === 0;
}

/** True when a use's problem keeps the map from being fixed: it has one, and it is no test's own (`testPrivate`). */
export function blocking(s: Site): boolean {
  return !!s.problem && !testPrivate(s);
}

/**
 * Selectors `x.<name>` the model cannot resolve because `x`'s type is unknown (or holds an
 * embedded field of unknown type): each might be a use of the field.
 */
function unresolvedSelectors(index: PackageIndex, file: GoFile, name: string): Node[] {
  const { model } = index;
  const out: Node[] = [];
  for (const f of fieldIdentsNamed(index, file, name)) {
    const sel = f.parent;
    if (sel?.type !== 'selector_expression' || !sel.childForFieldName('field')?.equals(f) || model.objectOf(f)) continue;
    const op = sel.childForFieldName('operand');
    if (!op || model.isType(op)) continue;
    const u = underlying(deref(model.typeOf(op)));
    const opaque = (t: Type): boolean => t.kind === 'unknown' || t.kind === 'typeparam' || (t.kind === 'struct' && t.fields.some((x) => x.embedded && opaque(underlying(deref(x.type)))));
    if (opaque(u)) out.push(sel);
  }
  return out;
}

/** The embedded fields a selection walks (`Inner` in `x.m` for a field `m` promoted from `Inner`), as Go spells them. */
function promotedPath(index: PackageIndex, sel: Node): string | undefined {
  const op = sel.childForFieldName('operand');
  const name = sel.childForFieldName('field')?.text ?? '';
  if (!op) return undefined;
  const found = index.model.fieldOf(index.model.typeOf(op), name);
  return found && found.path.length > 0 ? found.path.map((f) => f.name).join('.') : undefined;
}

/** Sites found so far, per goroutine model and candidate. */
const sitesMemo = new WeakMap<Goroutines, Map<MapCandidate, Site[]>>();

/**
 * `collectSites`, once per goroutine model and candidate. Sites depend on the goroutine model only
 * through the literals it starts (`ownerOf`), which are fixed once `analyseGoroutines` returns
 * (other packages' entries add no literal of this package): the module entries' question and the
 * analysis share them. Callers must not change the sites.
 */
export function sitesFor(index: PackageIndex, g: Goroutines, c: MapCandidate): Site[] {
  let byCandidate = sitesMemo.get(g);
  if (!byCandidate) {
    byCandidate = new Map();
    sitesMemo.set(g, byCandidate);
  }
  let sites = byCandidate.get(c);
  if (!sites) {
    sites = collectSites(index, g, c);
    byCandidate.set(c, sites);
  }
  return sites;
}

/** Collects and classifies every use of a candidate in the package, found by the model (by type for fields). */
export function collectSites(index: PackageIndex, g: Goroutines, c: MapCandidate): Site[] {
  const out: Site[] = [];
  const byFile = new Map<string, Node[]>();
  const add = (file: GoFile, n: Node): void => {
    const list = byFile.get(file.path) ?? [];
    list.push(n);
    byFile.set(file.path, list);
  };
  if (c.kind === 'var') {
    for (const u of index.model.usesOf(c.obj)) {
      const base = index.model.fileOf(u)?.file;
      const file = base && index.fileByBase.get(base);
      if (file) add(file, u);
    }
  } else {
    for (const file of index.pkg.files) {
      for (const f of fieldIdentsNamed(index, file, c.name)) {
        const sel = f.parent;
        if (sel?.type === 'selector_expression' && sel.childForFieldName('field')?.equals(f) && index.model.objectOf(f) === c.obj) add(file, sel);
      }
    }
  }
  for (const file of index.pkg.files) {
    for (const expr of (byFile.get(file.path) ?? []).sort((a, b) => a.startIndex - b.startIndex)) {
      const body = enclosingFunction(expr);
      const site: Site = { file, expr, kind: 'read', owner: ownerOf(index, g, file, expr), body, initTime: !body };
      if (c.kind === 'field') {
        site.operand = expr.childForFieldName('operand') ?? undefined;
        site.via = promotedPath(index, expr);
        if (!site.operand || !pureOperand(site.operand)) {
          site.problem = `its holder ${site.operand?.text ?? ''} at ${file.path.split('/').pop()}:${lineOf(file.source, expr.startIndex)} cannot be named again to lock it`;
        }
      }
      classify(site);
      if (c.kind === 'field' && site.kind === 'write' && site.operand) {
        const root = operandRoot(site.operand);
        site.fresh = !!root && freshLocal(root);
      }
      out.push(site);
    }
    if (c.kind === 'field') {
      for (const sel of unresolvedSelectors(index, file, c.name)) {
        const at = lineOf(file.source, sel.startIndex);
        const body = enclosingFunction(sel);
        out.push({ file, expr: sel, kind: 'read', owner: ownerOf(index, g, file, sel), body, initTime: !body, problem: `the type of ${sel.childForFieldName('operand')?.text ?? ''} at line ${at} is unknown to gomend, so ${sel.text} there may be this map` });
      }
    }
  }
  return out;
}
