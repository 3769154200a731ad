/**
 * Whether evaluating an expression may have an effect beyond its value: a call (other than a
 * conversion or a pure built-in), a receive, or a panic-free read is not. Answered with types, so
 * `T(x)` (a conversion) and `len(s)` are pure while `f(x)` and `<-ch` are not.
 */
import type { SyntaxNode } from '../mirror.js';
import { denotesType } from './expr.js';
import type { TypeEnv } from './typeof.js';
import { field, unparen } from './syntax.js';

const PURE_BUILTINS = new Set(['len', 'cap', 'min', 'max', 'complex', 'real', 'imag', 'new', 'make']);

/** True when evaluating `n` may do more than compute a value (calls, receives). */
export function hasSideEffects(env: TypeEnv, n: SyntaxNode): boolean {
  switch (n.type) {
    case 'func_literal':
      return false; // making a closure runs nothing
    case 'call_expression': {
      const fn = field(n, 'function');
      const f = fn && unparen(fn);
      const pureCallee = f && (denotesType(env, f) || (f.type === 'identifier' && env.objectOf(f)?.kind === 'builtin' && PURE_BUILTINS.has(f.text)));
      if (!pureCallee) return true;
      break;
    }
    case 'unary_expression':
      if (n.children.some((c) => !c.isNamed && c.type === '<-')) return true;
      break;
  }
  return n.namedChildren.some((c) => hasSideEffects(env, c));
}
