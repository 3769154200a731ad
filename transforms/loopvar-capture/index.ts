/**
 * loopvar-capture: a `for` loop's variable kept past its iteration, in Go before 1.22.
 *
 * Before Go 1.22 (decided per file: the module's `go` line, raised by `//go:build go1.N`) the
 * variables a `for` statement declares are one variable for the whole loop. A function literal that
 * outlives the iteration — started with `go`, deferred, handed to a spawner (`errgroup.Go`,
 * `time.AfterFunc`, `t.Run` with `t.Parallel()`), stored, appended or sent — or an address
 * `&v` that is kept the same way sees the value of a later iteration, and a goroutine reading it races
 * with the loop's own update. `go vet`'s loopclosure looks only at the last statement of the body.
 *
 * ```go
 * // Have (module go 1.21)                 // Want
 * for _, x := range xs {                   for _, x := range xs {
 *     wg.Add(1)                                x := x
 *     go func() {                              wg.Add(1)
 *         defer wg.Done()                      go func() {
 *         add(x)                                   defer wg.Done()
 *     }()                                          add(x)
 * }                                            }()
 *                                          }
 * for _, x := range xs {                   for _, x := range xs {
 *     ps = append(ps, &x)                      x := x
 * }                                            ps = append(ps, &x)
 *                                          }
 * ```
 *
 * The fix is what Go 1.22 does by itself: `x := x` as the first statement of the body (`go fix`'s
 * forvar removes it again at 1.22+). Files at 1.22 or later are never touched. **Declines** (finding
 * without a fix) when the file's version is unknown, and for a three-clause loop whose body assigns
 * the variable or takes its address (the copy would stop the change reaching the loop's condition).
 * **Leaves alone** closures called within the iteration (and `defer`s inside them), variables passed
 * as arguments (`go f(x)` copies them), goroutines waited for later in the same block (`wg.Wait()`,
 * a receive from a channel the goroutine sends on or closes), bodies that already copy, functions
 * passed to callees not known to keep them, values returned or kept just before a `return` or a
 * `break` of the loop (no later iteration runs), and a value stored in one place on every iteration
 * of a range loop (only the last survives, and it sees the last element either way).
 */
import type { SyntaxNode } from '../../src/mirror.js';
import type { Model } from '../../src/go/index.js';
import { ancestor, calleesOfValue, contains, enclosingFunc, enclosingStatement, exprList, field, hasToken, indentAt, kids, parentOutsideParens as up, pointerReceiver, underlying } from '../../src/go/index.js';
import type { GoFile, Pass, PackageTransform } from '../../src/types.js';
import type { Obj } from '../../src/go/index.js';

const ASSIGNS = new Set(['assignment_statement', 'inc_statement', 'dec_statement']);

const PARALLEL = 'run as a parallel subtest';

/**
 * True when `use` sits in a statement of the subtest literal `lit` before its `t.Parallel()` call:
 * `t.Run` does not return before that call, so the use runs within the iteration (`tt := tt`).
 */
function beforeParallel(lit: SyntaxNode, use: SyntaxNode): boolean {
  const list = kids(field(lit, 'body')!).find((k) => k.type === 'statement_list');
  const stmts = list ? kids(list) : [];
  const par = stmts.findIndex((st) => st.type === 'expression_statement' && /\.Parallel\(\)$/.test(st.text));
  return par > 0 && stmts.slice(0, par).some((st) => contains(st, use) && !st.descendantsOfType('func_literal').some((f) => contains(f, use)));
}

/** True when `lit` lies in another subtest literal inside `body`: that `t.Run` waits for its parallel subtests. */
function insideSubtest(lit: SyntaxNode, body: SyntaxNode): boolean {
  for (let p = lit.parent; p && p !== body; p = p.parent) {
    if (p.type !== 'func_literal') continue;
    const [n, a] = up(p);
    const call = a?.type === 'argument_list' ? a.parent : undefined;
    const fn = call && field(call, 'function');
    if (fn?.type === 'selector_expression' && field(fn, 'field')?.text === 'Run' && kids(a!).indexOf(n) === 1) return true;
  }
  return false;
}

/** True when a function literal calls `t.Parallel()` on a parameter of itself. */
function callsParallel(lit: SyntaxNode): boolean {
  return lit.descendantsOfType('call_expression').some((c) => {
    if (enclosingFunc(c) !== lit) return false; // a nested subtest's t.Parallel() is waited for by this one
    const f = field(c, 'function');
    return f?.type === 'selector_expression' && field(f, 'field')?.text === 'Parallel' && kids(field(c, 'arguments')!).length === 0;
  });
}

/** True when a `defer` runs after the iteration: its function is not a literal inside the loop body. */
function deferEscapes(d: SyntaxNode, body: SyntaxNode): boolean {
  const fn = enclosingFunc(d);
  return !fn || !contains(body, fn);
}

/** Receives (`<-ch`) and `Wait()` calls in `n`, outside function literals. */
function joinsIn(n: SyntaxNode, chans: Set<string>): boolean {
  if (n.type === 'func_literal') return false;
  if (n.type === 'unary_expression' && n.children[0]?.type === '<-' && chans.has(field(n, 'operand')?.text ?? '')) return true;
  if (n.type === 'call_expression') {
    const f = field(n, 'function');
    if (f?.type === 'selector_expression' && field(f, 'field')?.text === 'Wait' && kids(field(n, 'arguments')!).length === 0) return true;
  }
  return n.namedChildren.some((c) => joinsIn(c, chans));
}

/**
 * True when the goroutine of `go` statement `g` is waited for later in the same block: a `Wait()`,
 * or a receive from a channel the goroutine sends on or closes. It then ends within the iteration.
 */
function joinedInBlock(g: SyntaxNode, body: SyntaxNode): boolean {
  if (!contains(body, g)) return false;
  const chans = new Set<string>();
  for (const s of g.descendantsOfType('send_statement')) chans.add(field(s, 'channel')?.text ?? '');
  for (const c of g.descendantsOfType('call_expression')) {
    if (field(c, 'function')?.text === 'close') chans.add(kids(field(c, 'arguments')!)[0]?.text ?? '');
  }
  chans.delete('');
  // Later statements of each enclosing block, up to the loop body: all still run in the iteration.
  // Within the function that runs the go statement, never past a function literal boundary.
  const fn = enclosingFunc(g);
  for (let st: SyntaxNode | undefined = g; st && contains(body, st) && st !== body && enclosingFunc(st) === fn; st = st.parent ? enclosingStatement(st.parent) : undefined) {
    for (let s = st.nextSibling; s; s = s.nextSibling) if (joinsIn(s, chans)) return true;
    if (st.parent?.parent === body) break;
  }
  return false;
}

/**
 * Why the value of `e` (a function literal, a function variable, `&v`) outlives the iteration of
 * `body`, or undefined when it is used up inside it.
 */
function escapes(model: Model, e: SyntaxNode, body: SyntaxNode, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const [n, p] = up(e);
  if (!p) return undefined;
  switch (p.type) {
    case 'call_expression':
      if (field(p, 'function') !== n) return undefined;
      if (p.parent?.type === 'go_statement') return joinedInBlock(p.parent, body) ? undefined : 'started with go';
      if (p.parent?.type === 'defer_statement') return deferEscapes(p.parent, body) ? 'deferred' : undefined;
      return undefined; // called within the iteration
    case 'argument_list': {
      const call = p.parent!;
      const fn = field(call, 'function');
      const idx = kids(p).indexOf(n);
      if (call.parent?.type === 'go_statement') return joinedInBlock(call.parent, body) ? undefined : 'handed to a goroutine';
      if (call.parent?.type === 'defer_statement') return deferEscapes(call.parent, body) ? 'handed to a deferred call' : undefined;
      if (!fn) return undefined;
      if (fn.type === 'identifier' && fn.text === 'append') return idx > 0 ? 'appended' : undefined;
      const st = enclosingStatement(call);
      const joined = (): boolean => !!st && joinedInBlock(st, body);
      for (const c of calleesOfValue(model, fn)) {
        const f = c.fact;
        if (f?.spawns === idx) return joined() ? undefined : `handed to ${fn.text}`;
        if (f?.handler === idx) return `handed to ${fn.text}`;
        if (f?.keeps?.includes(idx)) return `kept by ${fn.text}`;
      }
      const name = fn.type === 'selector_expression' ? field(fn, 'field')?.text : undefined;
      if (name === 'Go' || name === 'TryGo') return joined() ? undefined : `handed to ${fn.text}`;
      if (name === 'Run' && idx === 1 && e.type === 'func_literal' && callsParallel(e)) return PARALLEL;
      return undefined;
    }
    case 'expression_list': {
      const s = p.parent!;
      if ((s.type === 'assignment_statement' || s.type === 'short_var_declaration') && field(s, 'right') === p) {
        const lhs = exprList(field(s, 'left'))[kids(p).indexOf(n)];
        const o = lhs?.type === 'identifier' ? model.objectOf(lhs) : undefined;
        if (lhs?.text === '_') return undefined;
        if (o?.ident && contains(body, o.ident)) return usesEscape(model, o, body, depth);
        // v.f = … on a variable of the iteration: as far as v goes.
        let root: SyntaxNode | undefined = lhs;
        while (root && (root.type === 'selector_expression' || root.type === 'index_expression')) root = field(root, 'operand');
        const ro = root?.type === 'identifier' ? model.objectOf(root) : undefined;
        if (ro?.ident && contains(body, ro.ident) && underlying(model.typeOfObj(ro)).kind === 'struct') return usesEscape(model, ro, body, depth);
        // x = … or s.f = … on every iteration of a range loop: only the last one survives, and it sees
        // the last element either way.
        const loop = body.parent!;
        const skipped = loop.descendantsOfType('continue_statement').some((c) => c.startIndex < s.startIndex && ancestor(c.parent!, 'for_statement') === loop);
        const everyIteration = s.parent?.parent === body && !skipped && lhs?.type !== 'index_expression' && kids(loop).some((k) => k.type === 'range_clause');
        return everyIteration ? undefined : 'stored';
      }
      if (s.type === 'var_spec') {
        const name = kids(s).filter((k) => k.type === 'identifier')[kids(p).indexOf(n)];
        const o = name && model.objectOf(name);
        return o ? usesEscape(model, o, body, depth) : undefined;
      }
      return undefined;
    }
    case 'send_statement':
      return field(p, 'value') === n ? 'sent on a channel' : undefined;
    case 'literal_element':
    case 'keyed_element':
    case 'literal_value': {
      const lit = ancestor(p, 'composite_literal');
      return lit ? escapes(model, lit, body, depth + 1) : undefined;
    }
    case 'unary_expression':
      return p.children[0]?.type === '&' ? escapes(model, p, body, depth + 1) : undefined;
    default:
      return undefined;
  }
}

function usesEscape(model: Model, o: Obj, body: SyntaxNode, depth: number): string | undefined {
  for (const u of model.usesOf(o)) {
    const why = escapes(model, u, body, depth + 1);
    if (why) return why;
  }
  return undefined;
}

/**
 * The largest expression around `use` that names memory of the variable itself: `v.f` and `v[i]`
 * for a struct or array value, not through a pointer, slice or map.
 */
function inPlace(model: Model, use: SyntaxNode): SyntaxNode {
  let n = use;
  for (;;) {
    const p = n.parent;
    if (!p || (p.type !== 'selector_expression' && p.type !== 'index_expression') || field(p, 'operand') !== n) return n;
    const k = underlying(model.typeOf(n)).kind;
    if (p.type === 'selector_expression' ? k !== 'struct' : k !== 'array') return n;
    n = p;
  }
}

const BREAKABLE = new Set(['for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement']);

/**
 * True when the statement around `n` is followed in its block by a `return`, or by a `break` of
 * `loop` itself: no later iteration runs.
 */
function lastIteration(n: SyntaxNode, loop: SyntaxNode): boolean {
  const s = enclosingStatement(n);
  for (let x = s?.nextSibling; x; x = x.nextSibling) {
    if (x.type === 'return_statement') return true;
    if (x.type === 'break_statement' && kids(x).length === 0 && x.parent && ancestor(x.parent, BREAKABLE) === loop) return true;
  }
  return false;
}

/** Why a use of a loop variable keeps it past the iteration, or undefined. */
function keptBy(model: Model, use: SyntaxNode, body: SyntaxNode, loop: SyntaxNode): string | undefined {
  for (let p = use.parent; p && p !== body; p = p.parent) {
    if (p.type !== 'func_literal') continue;
    const why = escapes(model, p, body);
    if (why === PARALLEL && (beforeParallel(p, use) || insideSubtest(p, body))) continue;
    if (why && !lastIteration(p, loop)) return `captured by a function literal ${why}`;
  }
  // &v, &v.f, &v[i] (an array) kept past the iteration.
  const p = inPlace(model, use).parent;
  if (p?.type === 'unary_expression' && p.children[0]?.type === '&') {
    const why = escapes(model, p, body);
    if (why && !lastIteration(p, loop)) return `kept through its address, which is ${why}`;
  }
  // go v.M() / defer v.M() with a pointer receiver: the goroutine reads the loop variable.
  const sel = use.parent;
  if (sel?.type === 'selector_expression' && field(sel, 'operand') === use && sel.parent?.type === 'call_expression' && field(sel.parent, 'function') === sel) {
    const stmt = sel.parent.parent?.type;
    const t = model.typeOf(use);
    if ((stmt === 'go_statement' || stmt === 'defer_statement') && t.kind === 'named') {
      const m = model.selection(t, field(sel, 'field')?.text ?? '');
      if (m?.method && m.path.length === 0 && pointerReceiver(m.method)) return `the receiver of a method ${stmt === 'go_statement' ? 'started with go' : 'deferred'}`;
    }
  }
  return undefined;
}

/**
 * True when `use` assigns the variable or takes its address for anything but keeping it (a
 * three-clause loop cannot then be copied: the change would no longer reach the loop).
 */
function changes(model: Model, use: SyntaxNode, body: SyntaxNode): boolean {
  const n = inPlace(model, use);
  const [m, p] = up(n);
  if (p?.type === 'unary_expression' && p.children[0]?.type === '&') return !escapes(model, p, body);
  if (p?.type === 'inc_statement' || p?.type === 'dec_statement') return true;
  return p?.type === 'expression_list' && ASSIGNS.has(p.parent?.type ?? '') && field(p.parent!, 'left') === p && m !== undefined;
}

/** The variables a `for` statement declares, and whether it is a three-clause loop. */
function loopVars(model: Model, loop: SyntaxNode): { vars: Obj[]; threeClause: boolean } {
  const rc = kids(loop).find((k) => k.type === 'range_clause');
  const fc = kids(loop).find((k) => k.type === 'for_clause');
  const init = fc && field(fc, 'initializer');
  const left = rc ? (hasToken(rc, ':=') ? field(rc, 'left') : undefined) : init?.type === 'short_var_declaration' ? field(init, 'left') : undefined;
  const vars = exprList(left).filter((i) => i.type === 'identifier' && i.text !== '_').map((i) => model.objectOf(i)).filter((o): o is Obj => !!o);
  return { vars, threeClause: !rc };
}

function checkLoop(pass: Pass, file: GoFile, loop: SyntaxNode): void {
  const model = pass.model;
  const body = field(loop, 'body');
  if (!body) return;
  const { vars, threeClause } = loopVars(model, loop);
  const kept: { o: Obj; use: SyntaxNode; why: string }[] = [];
  let changed: Obj | undefined;
  for (const o of vars) {
    const uses = model.usesOf(o).filter((u) => contains(body, u));
    for (const u of uses) {
      const why = keptBy(model, u, body, loop);
      if (why) {
        kept.push({ o, use: u, why });
        break;
      }
    }
    if (threeClause && uses.some((u) => changes(model, u, body))) changed ??= o;
  }
  if (kept.length === 0) return;
  const first = kept[0];
  const names = kept.map((k) => k.o.name);
  const message = `loop variable ${first.o.name} is ${first.why}: before Go 1.22 every iteration shares it, so it sees a later iteration's value`;
  const version = pass.goVersion(file);
  if (!version) {
    pass.report({ file: file.path, start: first.use.startIndex, end: first.use.endIndex, message: `${message} (no fix: the Go version is unknown; pass --go or add a go.mod)` });
    return;
  }
  if (changed) {
    pass.report({ file: file.path, start: first.use.startIndex, end: first.use.endIndex, message: `${message} (no fix: the body changes ${changed.name}, which a per-iteration copy would hide from the loop)` });
    return;
  }
  const open = body.children[0];
  const src = file.source;
  const nl = src.indexOf('\n', open.endIndex);
  const rest = nl < 0 ? '' : src.slice(open.endIndex, nl);
  const alone = nl >= 0 && /^\s*(\/\/.*)?$/.test(rest) && body.endIndex > nl;
  const stmt = kids(body).flatMap((k) => (k.type === 'statement_list' ? kids(k) : [])).find((k) => k.startIndex > nl);
  const indent = alone && stmt ? indentAt(src, stmt.startIndex) : indentAt(src, loop.startIndex) + '\t';
  const copy = `${names.join(', ')} := ${names.join(', ')}`;
  const edit = alone ? pass.insert(file, nl, `\n${indent}${copy}`) : pass.insert(file, open.endIndex, `\n${indent}${copy}\n${indent}`);
  pass.report({
    file: file.path,
    start: first.use.startIndex,
    end: first.use.endIndex,
    message,
    fix: { message: `Copy ${names.join(', ')} at the top of the loop body`, edits: [edit] },
  });
}

export const loopvarCapture: PackageTransform = {
  name: 'loopvar-capture',
  description: 'copy loop variables kept past their iteration by goroutines, closures or pointers before go 1.22',
  scope: 'package',
  mayMatch: (texts) => texts.some((t) => /\bfor\b/.test(t) && /func\s*\(|&|\bgo\b|\bdefer\b/.test(t)),
  run(pass: Pass): void {
    for (const file of pass.files) {
      const v = pass.goVersion(file);
      if (v && (v.major > 1 || v.minor >= 22)) continue;
      const root = pass.model.rootOf(file);
      for (const loop of root.descendantsOfType('for_statement')) checkLoop(pass, file, loop);
    }
  },
};
