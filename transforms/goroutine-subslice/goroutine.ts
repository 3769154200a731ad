/**
 * The goroutine's side: does the code that receives a slice write through it?
 *
 * A copy is only correct when the goroutine merely reads: a parallel in-place sort of `xs[:mid]`
 * shares memory on purpose, and cloning would throw its work away. So every use of the received
 * slice (and of variables derived from it) is classified as a read, a write, or "cannot tell"
 * (stored somewhere, sent on, passed to code gomend cannot see). Calls are judged by callee.ts,
 * which follows functions of the same package and knows the standard library's common ones.
 */
import { enclosingFunc, identsNamed, kids, sameNode } from '../../src/go/syntax.js';
import type { Model } from '../../src/go/model.js';
import type { Obj } from '../../src/go/objects.js';
import type { SyntaxNode } from '../../src/mirror.js';
import { isDef } from '../../src/go/locals.js';
import { assignedBy } from '../../src/go/assign.js';
import { sliceTop } from './parent.js';

/** The package being analysed: its model, and a memo for the callee analyses (by function and parameter). */
export interface Analysis {
  model: Model;
  memo: Map<string, unknown>;
}

/**
 * The variable, constant, type or function of the package an identifier denotes (declared or
 * used), or undefined for an import, a built-in, a predeclared name, or what the model cannot resolve.
 */
export function objOf(an: Analysis, ident: SyntaxNode): Obj | undefined {
  const o = an.model.objectOf(ident);
  if (!o || !o.ident || o.pkg !== undefined) return undefined;
  return o.kind === 'var' || o.kind === 'const' || o.kind === 'type' || o.kind === 'func' ? o : undefined;
}

export type Verdict =
  | { kind: 'reads' }
  | { kind: 'writes'; name: string; what: string }
  | { kind: 'unknown'; name: string; why: string }
  | { kind: 'assigns'; name: string };

export const READS: Verdict = { kind: 'reads' };

/** How the use classification sees the world; `call` judges a call that receives the slice. */
export interface Ctx {
  an: Analysis;
  call: (call: SyntaxNode, pos: number, spread: boolean, name: string, c: Ctx) => Verdict;
  /** The function whose results are discarded (the goroutine's entry), if any. */
  entry: SyntaxNode | undefined;
  depth: number;
  /** Report reassignments of these declarations (captured variables of a go func literal). */
  assignable: boolean;
}

/** The outermost element access `p[i].f[j]` around an index expression whose operand is p. */
function elementTop(e: SyntaxNode): SyntaxNode {
  for (;;) {
    const p = e.parent;
    if (!p) return e;
    const onOperand = sameNode(p.childForFieldName('operand'), e);
    if (onOperand && (p.type === 'selector_expression' || p.type === 'index_expression' || p.type === 'slice_expression')) e = p;
    else if (p.type === 'parenthesized_expression') e = p;
    else return e;
  }
}

/** What writing through an element access looks like, or undefined for a read. */
function elementUse(access: SyntaxNode): { why: string } | 'write' | undefined {
  const top = elementTop(access);
  const parent = top.parent;
  if (assignedBy(top)) return 'write';
  if (parent?.type === 'inc_statement' || parent?.type === 'dec_statement') return 'write';
  if (parent?.type === 'unary_expression' && parent.childForFieldName('operator')?.text === '&') return { why: 'it takes the address of an element' };
  if (parent?.type === 'call_expression' && sameNode(parent.childForFieldName('function'), top) && top.type === 'selector_expression') {
    return { why: `it calls ${top.text.length > 30 ? 'a method of an element' : top.text}` };
  }
  if (top.type === 'slice_expression' || top.descendantsOfType('slice_expression').length > 0) return { why: 'it slices an element' };
  return undefined;
}

/** Classifies one use of a tracked variable. `alias` receives declarations that now alias it. */
function useOf(ident: SyntaxNode, c: Ctx, alias: (d: Obj) => void): Verdict {
  const name = ident.text;
  const e = sliceTop(ident);
  const p = e.parent;
  if (!p) return READS;
  switch (p.type) {
    case 'index_expression': {
      if (!sameNode(p.childForFieldName('operand'), e)) return READS;
      const use = elementUse(p);
      if (use === 'write') return { kind: 'writes', name, what: `assigns ${elementTop(p).text.length > 30 ? 'an element' : elementTop(p).text}` };
      return use ? { kind: 'unknown', name, why: use.why } : READS;
    }
    case 'expression_list': {
      const stmt = p.parent;
      if (!stmt) return READS;
      const isLeft = sameNode(stmt.childForFieldName('left'), p);
      if (isLeft) {
        if (stmt.type === 'assignment_statement' && sameNode(e, ident) && c.assignable) return { kind: 'assigns', name };
        return READS;
      }
      if (stmt.type === 'return_statement') {
        return c.entry && sameNode(enclosingFunc(stmt), c.entry) ? READS : { kind: 'unknown', name, why: `it returns ${name}` };
      }
      const values = kids(p);
      const i = values.findIndex((v) => sameNode(v, e));
      if (stmt.type === 'var_spec') {
        const declared = stmt.childrenForFieldName('name')[i];
        const d = declared && isDef(c.an.model, declared) ? objOf(c.an, declared) : undefined;
        if (d) alias(d);
        return d ? READS : { kind: 'unknown', name, why: `it stores ${name}` };
      }
      if (stmt.type !== 'assignment_statement' && stmt.type !== 'short_var_declaration') break;
      const left = kids(stmt.childForFieldName('left'));
      if (left.length !== values.length) return { kind: 'unknown', name, why: `it stores ${name}` };
      const target = left[i];
      if (target.type === 'identifier') {
        if (target.text === '_') return READS;
        const d = objOf(c.an, target);
        if (d && !d.pkgLevel) {
          alias(d);
          return READS;
        }
      }
      return { kind: 'unknown', name, why: `it stores ${name} in ${target.text.length > 30 ? 'another variable' : target.text}` };
    }
    case 'argument_list':
    case 'variadic_argument': {
      const list = p.type === 'variadic_argument' ? p.parent : p;
      const call = list?.parent;
      if (!list || !call || call.type !== 'call_expression') break;
      const pos = kids(list).findIndex((a) => sameNode(a, p.type === 'variadic_argument' ? p : e));
      return c.call(call, pos, p.type === 'variadic_argument', name, c);
    }
    case 'range_clause':
    case 'binary_expression':
    case 'expression_statement':
      return READS;
    case 'return_statement':
      return c.entry && sameNode(enclosingFunc(p), c.entry) ? READS : { kind: 'unknown', name, why: `it returns ${name}` };
    case 'send_statement':
      return { kind: 'unknown', name, why: `it sends ${name} on a channel` };
    case 'unary_expression':
      return { kind: 'unknown', name, why: `it takes the address of ${name}` };
    case 'literal_element':
    case 'keyed_element':
    case 'literal_value': {
      // An element of a composite literal (`Packet{Data: buf[:n]}`, `&Msg{…}`): the literal's uses are the variable's.
      let top: SyntaxNode = p;
      while (top.parent && ['literal_element', 'keyed_element', 'literal_value', 'composite_literal'].includes(top.parent.type)) top = top.parent;
      if (top.type !== 'composite_literal') break; // the climb ends at the outermost literal, or at a bare element list
      if (top.parent?.type === 'unary_expression' && top.parent.childForFieldName('operator')?.text === '&') top = top.parent;
      const v = useOf(top, c, alias);
      return v.kind === 'reads' ? v : { ...v, name };
    }
    case 'selector_expression': {
      // A field read (`m.data`) shares the struct's slices: its uses are the variable's uses.
      const call = p.parent;
      const called = call?.type === 'call_expression' && sameNode(call.childForFieldName('function'), p);
      if (!called && sameNode(p.childForFieldName('operand'), e) && call?.type !== 'unary_expression') return useOf(p, c, alias);
      return { kind: 'unknown', name, why: `it calls a method on ${name}` };
    }
    default:
      break;
  }
  return { kind: 'unknown', name, why: `it uses ${name} in a way gomend cannot follow (${p.type.replace(/_/g, ' ')})` };
}

/**
 * What the code in `body` does with the tracked declarations and every local derived from them:
 * the first write wins, then the first "cannot tell", else it only reads.
 */
export function usesIn(body: SyntaxNode, tracked: Obj[], c: Ctx): Verdict {
  const keys = new Set(tracked);
  const names = new Set(tracked.map((d) => d.name));
  const verdicts: Verdict[] = [];
  for (let round = 0; round < 8; round++) {
    let grew = false;
    verdicts.length = 0;
    for (const ident of identsNamed(body, names)) {
      const d = objOf(c.an, ident);
      if (!d || d.ident === (ident) || !keys.has(d)) continue;
      verdicts.push(
        useOf(ident, c, (a) => {
          if (keys.has(a)) return;
          keys.add(a);
          names.add(a.name);
          grew = true;
        }),
      );
    }
    if (!grew) break;
  }
  return verdicts.find((v) => v.kind === 'assigns') ?? verdicts.find((v) => v.kind === 'writes') ?? verdicts.find((v) => v.kind === 'unknown') ?? READS;
}
