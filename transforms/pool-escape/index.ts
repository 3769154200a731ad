/**
 * pool-escape: memory of a `sync.Pool` object used after the object went back to the pool, and
 * pooled objects written without a reset.
 *
 * `Get` may return any object an earlier `Put` handed back, from any goroutine. A view of a pooled
 * object's memory (`buf.Bytes()`, a subslice of a pooled `[]byte`) is valid only until the object
 * is `Put`: once it is back, another goroutine's `Get` writes the same bytes. And an object taken
 * from the pool still holds what its previous user wrote unless someone resets it.
 *
 * ```go
 * // Have                                   // Want
 * b := bufs.Get().(*bytes.Buffer)           b := bufs.Get().(*bytes.Buffer)
 * b.Reset()                                 b.Reset()
 * fmt.Fprintf(b, "hello, %s!", name)        fmt.Fprintf(b, "hello, %s!", name)
 * out := b.Bytes()                          out := bytes.Clone(b.Bytes())
 * bufs.Put(b)                               bufs.Put(b)
 * return out                                return out
 *
 * b := bufs.Get().(*bytes.Buffer)           b := bufs.Get().(*bytes.Buffer)
 * defer bufs.Put(b)                         defer bufs.Put(b)
 * for _, p := range parts {                 b.Reset()
 *     b.WriteString(p)                      for _, p := range parts {
 * }                                             b.WriteString(p)
 * return b.String()                         }
 *                                           return b.String()
 * ```
 *
 * **Use after Put**: a view returned while a `defer Put` is pending, or bound to a variable that is
 * used after a `Put` of the object, returned, stored or sent, is cloned where it is taken
 * (`bytes.Clone` from Go 1.20, `append([]byte(nil), v...)` below; `slices.Clone` from 1.21 for other
 * element types, `append([]T(nil), v...)` below for predeclared `T`). `String()` copies and is safe. **Reuse without reset**: an object written to
 * (`Write*`, `fmt.Fprint*`, `io.WriteString`, `append` to a pooled slice) with no `Reset()` (or
 * `b = b[:0]`) after its `Get` and no reset before every `Put` to the same pool in the package gets
 * `b.Reset()` right after the `Get` (after a `defer Put` that directly follows it). Only for types
 * with a `Reset()` method and pooled slices. Helpers that wrap the pool (`getBuf()`, `putBuf(b)`)
 * count as `Get` and `Put` (and their resets count). **Declines** a clone of a named slice type or
 * of a slice of non-predeclared elements below Go 1.21, and a pooled slice itself returned or stored
 * after `Put` (the copy belongs before the `Put`). **Leaves alone** views copied before `Put`, objects
 * never written, objects with no `Reset()`, pools whose every `Put` follows a reset.
 */
import type { SyntaxNode } from '../../src/mirror.js';
import type { Model, Obj } from '../../src/go/index.js';
import { contains, enclosingFunc, field, indentAt, kids, parentOutsideParens as up, underlying } from '../../src/go/index.js';
import type { Edit, GoFile, Pass, PackageTransform } from '../../src/types.js';
import { lineEnd } from '../../src/text.js';
import { assignedTo } from '../../src/go/assign.js';

const GET = 'sync.(*Pool).Get';
const PUT = 'sync.(*Pool).Put';
const WRITERS = /^(fmt\.Fprint(f|ln)?|io\.WriteString|io\.Copy|io\.CopyN|io\.CopyBuffer|encoding\/binary\.Write)$/;

/** What a call does with a pool, through `sync.Pool` itself or a helper of the package. */
interface PoolCall {
  kind: 'get' | 'put';
  pool: object | string;
  /** A `put` helper resets its argument, a `get` helper the object it returns. */
  resets: boolean;
}

function args(call: SyntaxNode): SyntaxNode[] {
  return kids(field(call, 'arguments') ?? call);
}

function selName(call: SyntaxNode): string | undefined {
  const f = field(call, 'function');
  return f?.type === 'selector_expression' ? field(f, 'field')?.text : undefined;
}

/** The name a call is spelled with: `f` in `f(x)`, `M` in `x.M()`. */
function calledName(call: SyntaxNode): string | undefined {
  const f = field(call, 'function');
  return f?.type === 'identifier' ? f.text : selName(call);
}

function receiver(call: SyntaxNode): SyntaxNode | undefined {
  const f = field(call, 'function');
  return f?.type === 'selector_expression' ? field(f, 'operand') : undefined;
}

/** The identity of a pool expression: its variable or field object, else its text. */
function poolKey(model: Model, e: SyntaxNode | undefined): object | string {
  if (!e) return '?';
  const id = e.type === 'selector_expression' ? field(e, 'field') : e;
  return (id && model.objectOf(id)) ?? e.text;
}

/** The slice a use stands for: the use itself, or `*u` for a pooled `*[]T` (through parentheses). */
function sliceOf(u: SyntaxNode): SyntaxNode {
  const [n, p] = up(u);
  return p?.type === 'unary_expression' && p.children[0]?.type === '*' ? up(p)[0] : n;
}

/** True when `body` resets the variable `o`: `o.Reset()`, `o = o[:0]`, `*o = (*o)[:0]`, `append(o[:0], …)`. */
function resetsIn(model: Model, body: SyntaxNode, o: Obj, after = -1): boolean {
  for (const u of model.usesOf(o)) {
    if (!contains(body, u) || u.startIndex < after) continue;
    const p = u.parent;
    if (p?.type === 'selector_expression' && field(p, 'field')?.text === 'Reset' && p.parent?.type === 'call_expression') return true;
    const s = sliceOf(u);
    const sp = s.parent;
    if (sp?.type === 'slice_expression' && field(sp, 'operand') === s && /^\[\s*:\s*0\s*\]$/.test(sp.text.slice(s.endIndex - sp.startIndex))) return true;
  }
  return false;
}

/** Text every `Get`/`Put` call of a pool holds. */
const POOL_CALL = /\.\s*(?:Get|Put)\s*\(/;

/**
 * Sync.Pool calls and the package's helpers around them: `classify` answers for a call, and
 * `mayCall` is false for a file's text that holds no call it could classify (a pool's `Get`/`Put`,
 * or a helper called by name), so that file is not parsed.
 */
function poolCalls(model: Model, files: GoFile[]): { classify: (call: SyntaxNode) => PoolCall | undefined; mayCall: (source: string) => boolean } {
  const helpers = new Map<SyntaxNode, PoolCall>();
  const direct = (call: SyntaxNode): PoolCall | undefined => {
    const name = selName(call);
    if (name !== 'Get' && name !== 'Put') return undefined; // only sync.Pool's own methods, by name first
    const std = model.callees(call)[0]?.std;
    return std === GET || std === PUT ? { kind: std === GET ? 'get' : 'put', pool: poolKey(model, receiver(call)), resets: false } : undefined;
  };
  for (const file of files) {
    if (!POOL_CALL.test(file.source)) continue;
    for (const fn of model.rootOf(file).descendantsOfType('function_declaration')) {
      const body = field(fn, 'body');
      const params = (field(fn, 'parameters')?.namedChildren ?? []).flatMap((p) => kids(p).filter((k) => k.type === 'identifier'));
      if (!body) continue;
      for (const call of body.descendantsOfType('call_expression')) {
        const pc = direct(call);
        if (!pc) continue;
        if (pc.kind === 'put' && params.length === 1) {
          const arg = args(call)[0];
          const o = arg?.type === 'identifier' ? model.objectOf(arg) : undefined;
          if (o && o === model.objectOf(params[0])) helpers.set(fn, { ...pc, resets: resetsIn(model, body, o) || /\[\s*:\s*0\s*\]$/.test(arg.text) });
        } else if (pc.kind === 'get' && params.length === 0 && body.descendantsOfType('return_statement').length > 0) {
          helpers.set(fn, { ...pc, resets: body.descendantsOfType('call_expression').some((c) => selName(c) === 'Reset') || /\[\s*:\s*0\s*\]/.test(body.text) });
        }
      }
    }
  }
  const helperNames = new Set([...helpers.keys()].map((fn) => field(fn, 'name')?.text));
  const helperCall = helperNames.size > 0 ? new RegExp(`\\b(?:${[...helperNames].join('|')})\\s*\\(`, 'u') : undefined;
  const mayCall = (source: string): boolean => POOL_CALL.test(source) || !!helperCall?.test(source);
  const classify = (call: SyntaxNode): PoolCall | undefined => {
    const d = direct(call);
    if (d) return d;
    if (!helperNames.has(calledName(call))) return undefined;
    const c = model.callees(call)[0];
    return c?.kind === 'func' && c.decl && c.model === model ? helpers.get(c.decl) : undefined;
  };
  return { classify, mayCall };
}

/** A variable bound to an object from `Get`. */
interface Pooled {
  file: GoFile;
  obj: Obj;
  stmt: SyntaxNode;
  body: SyntaxNode;
  pool: object | string;
  resetAtGet: boolean;
  puts: { stmt: SyntaxNode; deferred: boolean }[];
}

/** The statement of a call (an expression or defer statement around it), for a Put. */
function putStmt(call: SyntaxNode): { stmt: SyntaxNode; deferred: boolean } | undefined {
  const p = call.parent;
  const lit = enclosingFunc(call);
  // defer func() { …; pool.Put(b) }()
  const d = lit?.type === 'func_literal' ? up(lit)[1] : undefined;
  if (d?.type === 'call_expression' && d.parent?.type === 'defer_statement') return { stmt: d.parent, deferred: true };
  if (p?.type === 'defer_statement') return { stmt: p, deferred: true };
  if (p?.type === 'expression_statement') return { stmt: p, deferred: false };
  return undefined;
}

/** True when Put statement `put` runs before `use` on the path to it (same or enclosing block, earlier). */
function precedes(put: { stmt: SyntaxNode; deferred: boolean }, use: SyntaxNode): boolean {
  return !put.deferred && put.stmt.endIndex <= use.startIndex && !!put.stmt.parent && contains(put.stmt.parent, use) && enclosingFunc(put.stmt) === enclosingFunc(use);
}

/** Why the view `v` of `p` is used after a Put, or undefined. */
function viewEscapes(model: Model, p: Pooled, v: SyntaxNode, depth = 0): string | undefined {
  if (depth > 3) return undefined;
  const [n, par] = up(v);
  const after = p.puts.find((put) => precedes(put, v));
  if (after) {
    // A view taken after the Put is already too late to copy; a variable read after it is the bug.
    const lenCap = par?.type === 'argument_list' && /^(len|cap)$/.test(field(par.parent!, 'function')?.text ?? '');
    return depth > 0 && !lenCap ? 'used after the object is put back' : undefined;
  }
  if (!par) return undefined;
  // b.Bytes()[:n] and (*b)[i:j] are the same memory.
  if (par.type === 'slice_expression' && field(par, 'operand') === n) return viewEscapes(model, p, par, depth);
  const stmt = par.type === 'expression_list' ? par.parent : par;
  if (stmt?.type === 'return_statement') return p.puts.some((put) => put.deferred) ? 'returned while a deferred Put gives the object back' : undefined;
  if (stmt?.type === 'send_statement' && field(stmt, 'value') === n) return p.puts.length ? 'sent on a channel, and the object is put back' : undefined;
  const lhs = assignedTo(v);
  if (!lhs) return undefined;
  const o = lhs.type === 'identifier' ? model.objectOf(lhs) : undefined;
  if (o?.ident && !o.pkgLevel && contains(p.body, o.ident)) {
    for (const u of model.usesOf(o)) {
      const why = viewEscapes(model, p, u, depth + 1);
      if (why) return why;
    }
    return undefined;
  }
  let root: SyntaxNode | undefined = lhs;
  while (root && root.type !== 'identifier') root = field(root, 'operand') ?? kids(root)[0];
  if (root && model.objectOf(root) === p.obj) return undefined; // stored back into the pooled object
  return lhs.text !== '_' && p.puts.length ? 'stored, and the object is put back' : undefined;
}

/** The clone of `v`, or undefined when the version has no form for its element type. */
function cloneOf(pass: Pass, file: GoFile, v: SyntaxNode): { text: string; imp?: Edit } | undefined {
  const t = underlying(pass.model.typeOf(v));
  if (t.kind !== 'slice') return undefined;
  const named = pass.model.typeOf(v).kind === 'named';
  const isByte = !named && t.elem.kind === 'basic' && t.elem.name === 'uint8';
  const pkg = isByte && pass.atLeast(file, '1.20') ? 'bytes' : !isByte && pass.atLeast(file, '1.21') ? 'slices' : undefined;
  if (pkg) {
    const name = pass.importName(file, pkg) ?? pkg;
    const fn = enclosingFunc(v);
    const shadowed = fn?.descendantsOfType('identifier').some((i) => i.text === name && pass.model.objectOf(i)?.kind !== 'pkgname');
    if (!shadowed) return { text: `${name}.Clone(${v.text})`, imp: pass.ensureImport(file, pkg) ?? undefined };
  }
  if (isByte) return { text: `append([]byte(nil), ${v.text}...)` };
  // Below 1.21 other element types are spelled out when they are predeclared (int, string).
  return !named && t.elem.kind === 'basic' && !t.elem.untyped ? { text: `append([]${t.elem.name}(nil), ${v.text}...)` } : undefined;
}

/** True when `p`'s object is written: Write*, fmt.Fprint*, io.WriteString, append to it. */
function written(model: Model, p: Pooled): boolean {
  return model.usesOf(p.obj).some((u0) => {
    if (!contains(p.body, u0)) return false;
    const u = sliceOf(u0);
    const par = u.parent;
    if (par?.type === 'selector_expression' && field(par, 'operand') === u) return /^(Write|ReadFrom|Append)/.test(field(par, 'field')?.text ?? '');
    if (par?.type !== 'argument_list') return false;
    const call = par.parent!;
    const fn = field(call, 'function');
    if (fn?.text === 'append' && kids(par)[0] === u) return true;
    return kids(par)[0] === u && model.callees(call).some((c) => !!c.std && WRITERS.test(c.std));
  });
}

function resettable(model: Model, p: Pooled): 'method' | 'slice' | 'pointer' | undefined {
  const t = model.typeOfObj(p.obj);
  if (underlying(t).kind === 'slice') return 'slice';
  if (t.kind === 'pointer' && underlying(t.elem).kind === 'slice') return 'pointer';
  const sel = model.selection(t, 'Reset');
  const ft = sel?.kind === 'method' ? sel.type : undefined;
  return ft?.kind === 'func' && ft.params.length === 0 ? 'method' : undefined;
}

export const poolEscape: PackageTransform = {
  name: 'pool-escape',
  description: 'clone views of pooled buffers used after put, reset pooled objects written without a reset',
  scope: 'package',
  mayMatch: (texts) => texts.some((t) => t.includes('sync')) && texts.some((t) => /\.Get\(\)/.test(t)),
  run(pass: Pass): void {
    const model = pass.model;
    const { classify, mayCall } = poolCalls(model, pass.files);
    const pooled: Pooled[] = [];
    const putsByPool = new Map<object | string, { call: SyntaxNode; resets: boolean }[]>();
    for (const file of pass.files) {
      if (!mayCall(file.source)) continue;
      for (const call of model.rootOf(file).descendantsOfType('call_expression')) {
        const pc = classify(call);
        if (!pc) continue;
        if (pc.kind === 'put') {
          putsByPool.set(pc.pool, [...(putsByPool.get(pc.pool) ?? []), { call, resets: pc.resets }]);
          continue;
        }
        let e = call;
        if (e.parent?.type === 'type_assertion_expression') e = e.parent;
        let resetAtGet = pc.resets;
        if (e.parent?.type === 'slice_expression' && /\[\s*:\s*0\s*\]$/.test(e.parent.text)) {
          e = e.parent;
          resetAtGet = true;
        }
        const [n, par] = up(e);
        let stmt = par?.parent;
        let lhs = assignedTo(e);
        if (!lhs && stmt?.type === 'var_spec' && field(stmt, 'value') === par && stmt.parent?.type === 'var_declaration') {
          lhs = kids(stmt).filter((k) => k.type === 'identifier')[kids(par).indexOf(n)];
          stmt = stmt.parent;
        }
        if (!lhs || !stmt) continue;
        const obj = lhs?.type === 'identifier' ? model.objectOf(lhs) : undefined;
        const fn = enclosingFunc(stmt);
        const body = fn && field(fn, 'body');
        if (!obj || obj.pkgLevel || !body || stmt.parent?.type !== 'statement_list') continue;
        pooled.push({ file, obj, stmt, body, pool: pc.pool, resetAtGet, puts: [] });
      }
    }
    for (const p of pooled) {
      for (const u of model.usesOf(p.obj)) {
        if (!contains(p.body, u)) continue;
        let a = u; // b, b[:0], &b
        while (a.parent && ((a.parent.type === 'slice_expression' && field(a.parent, 'operand') === a) || a.parent.type === 'unary_expression' || a.parent.type === 'parenthesized_expression')) a = a.parent;
        if (a.parent?.type !== 'argument_list' || kids(a.parent)[0] !== a) continue;
        const call = a.parent.parent!;
        if (classify(call)?.kind !== 'put') continue;
        const s = putStmt(call);
        if (s) p.puts.push(s);
      }
      useAfterPut(pass, p);
      reuseWithoutReset(pass, p, putsByPool.get(p.pool) ?? []);
    }
  },
};

function useAfterPut(pass: Pass, p: Pooled): void {
  if (p.puts.length === 0) return;
  const model = pass.model;
  const t = model.typeOfObj(p.obj);
  const ptr = t.kind === 'pointer' && underlying(t.elem).kind === 'slice';
  const isSlice = ptr || underlying(t).kind === 'slice';
  for (const u0 of model.usesOf(p.obj)) {
    if (!contains(p.body, u0) || u0.startIndex < p.stmt.endIndex) continue;
    const u = ptr ? sliceOf(u0) : u0;
    if (ptr && u === u0) continue;
    let view: SyntaxNode | undefined;
    const par = u.parent;
    if (par?.type === 'selector_expression' && field(par, 'operand') === u && par.parent?.type === 'call_expression' && field(par.parent, 'function') === par) {
      if (model.callees(par.parent).some((c) => c.fact?.view)) view = par.parent;
    } else if (isSlice && par?.type === 'slice_expression' && field(par, 'operand') === u) view = par;
    else if (isSlice) view = u;
    if (!view) continue;
    const why = viewEscapes(model, p, view);
    if (!why) continue;
    const what = view === u ? `pooled slice ${u.text}` : `${view.text}, a view of pooled ${u0.text},`;
    const message = `${what} is ${why}: the next Get in another goroutine overwrites it`;
    if (view === u) {
      pass.report({ file: p.file.path, start: view.startIndex, end: view.endIndex, message: `${message} (no fix: copy it before Put)` });
      continue;
    }
    const clone = cloneOf(pass, p.file, view);
    const at = { file: p.file.path, start: view.startIndex, end: view.endIndex, message };
    if (!clone) {
      pass.report({ ...at, message: `${message} (no fix: cloning this slice type needs Go 1.21)` });
      continue;
    }
    const edits = [pass.edit(p.file, view.startIndex, view.endIndex, clone.text), ...(clone.imp ? [clone.imp] : [])];
    pass.report({ ...at, fix: { message: 'Copy the view where it is taken', edits } });
  }
}

function reuseWithoutReset(pass: Pass, p: Pooled, puts: { call: SyntaxNode; resets: boolean }[]): void {
  const model = pass.model;
  if (p.resetAtGet || puts.length === 0) return;
  const kind = resettable(model, p);
  if (!kind || !written(model, p) || resetsIn(model, p.body, p.obj, p.stmt.endIndex)) return;
  const resetBeforePut = (put: { call: SyntaxNode; resets: boolean }): boolean => {
    if (put.resets) return true;
    const arg = args(put.call)[0];
    if (arg && /\[\s*:\s*0\s*\]$/.test(arg.text)) return true;
    const o = arg?.type === 'identifier' ? model.objectOf(arg) : undefined;
    const fn = enclosingFunc(put.call);
    const body = fn && field(fn, 'body');
    return !!o && !!body && resetsIn(model, body, o);
  };
  if (puts.every(resetBeforePut)) return;
  const name = p.obj.name;
  let after = p.stmt;
  let next = after.nextSibling;
  while (next?.type === 'comment') next = next.nextSibling;
  if (next?.type === 'defer_statement' && p.puts.some((q) => q.stmt === next)) after = next;
  const src = p.file.source;
  const eol = lineEnd(src, after.endIndex);
  const at = /^\s*(\/\/.*)?$/.test(src.slice(after.endIndex, eol)) ? eol : after.endIndex;
  const text = kind === 'method' ? `${name}.Reset()` : kind === 'pointer' ? `*${name} = (*${name})[:0]` : `${name} = ${name}[:0]`;
  pass.report({
    file: p.file.path,
    start: p.stmt.startIndex,
    end: p.stmt.endIndex,
    message: `${name} comes from a sync.Pool and is written without a reset after Get or before every Put: it keeps what its previous user wrote`,
    fix: { message: `Reset ${name} after Get`, edits: [pass.insert(p.file, at, `\n${indentAt(src, p.stmt.startIndex)}${text}`)] },
  });
}
