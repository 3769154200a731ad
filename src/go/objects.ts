/**
 * Objects (what an identifier denotes) and scopes, as go/types has them: every identifier of a
 * package resolves to one `Obj`, declared once, in the package, a file's imports, a function, a
 * block, or Go's universe (predeclared types, constants and built-in functions).
 */
import type { GoFile } from '../types.js';
import type { SyntaxNode } from '../mirror.js';
import type { Type } from './types.js';

export type ObjKind = 'var' | 'const' | 'type' | 'func' | 'pkgname' | 'builtin' | 'nil' | 'field' | 'method' | 'label';

export interface Obj {
  kind: ObjKind;
  name: string;
  /** The declaring identifier; absent for universe objects and objects of other packages. */
  ident?: SyntaxNode;
  /**
   * The declaring construct: var_spec, const_spec, short_var_declaration, parameter_declaration,
   * variadic_parameter_declaration, range_clause, receive_statement, type_switch_statement
   * (the case clause is `clause`), type_spec, type_alias, function_declaration,
   * method_declaration, import_spec, field_declaration, method_elem, type_parameter_declaration.
   */
  decl?: SyntaxNode;
  /** Position of this name among the names `decl` declares (for `a, b := f()`). */
  index: number;
  /** The file holding the declaration. */
  file?: GoFile;
  /** Declared at package level (a package var, func, type, const). */
  pkgLevel: boolean;
  /** Parameters, results and receivers say which. */
  param?: 'param' | 'result' | 'receiver';
  /** For a `pkgname`, the imported path; for objects of another package, that package's path. */
  pkg?: string;
  /** For a type switch's symbol, the case clause that declares this copy. */
  clause?: SyntaxNode;
  /** Filled on first use by the model. */
  type?: Type;
}

/** A lexical scope: names to objects, and the scope around it. */
export class Scope {
  readonly names = new Map<string, Obj>();
  constructor(
    readonly parent: Scope | undefined,
    readonly node?: SyntaxNode,
  ) {}

  lookup(name: string): Obj | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const o = s.own(name);
      if (o) return o;
    }
    return undefined;
  }

  /** The object this scope itself declares as `name` (a package scope loaded lazily may load it first). */
  own(name: string): Obj | undefined {
    return this.names.get(name);
  }

  declare(obj: Obj): void {
    if (obj.name !== '_') this.names.set(obj.name, obj);
  }
}

export const PREDECLARED_TYPES: ReadonlySet<string> = new Set([
  'any', 'bool', 'byte', 'comparable', 'complex64', 'complex128', 'error', 'float32', 'float64', 'int', 'int8', 'int16',
  'int32', 'int64', 'rune', 'string', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr',
]);

export const BUILTIN_FUNCS: ReadonlySet<string> = new Set([
  'append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic',
  'print', 'println', 'real', 'recover',
]);

function makeUniverse(): Scope {
  const u = new Scope(undefined);
  for (const name of PREDECLARED_TYPES) u.declare({ kind: 'type', name, index: 0, pkgLevel: true });
  for (const name of BUILTIN_FUNCS) u.declare({ kind: 'builtin', name, index: 0, pkgLevel: true });
  for (const name of ['true', 'false', 'iota']) u.declare({ kind: 'const', name, index: 0, pkgLevel: true });
  u.declare({ kind: 'nil', name: 'nil', index: 0, pkgLevel: true });
  return u;
}

/** Go's universe scope, shared. */
export const universe: Scope = makeUniverse();

/** True for an object of Go's universe (`len`, `int`, `nil`, …). */
export function isUniverse(o: Obj): boolean {
  return universe.names.get(o.name) === o;
}
