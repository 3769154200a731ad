/**
 * A small symbol model of one Go package: its package-level declarations (scope.ts adds Go's block
 * scoping). It works on syntax alone; where syntax cannot settle a question callers get "unknown"
 * and refuse rather than guess.
 */
import type { GoFile, Node, Package } from '../../src/types.js';

/** A package-level declaration. */
export interface TopDecl {
  file: GoFile;
  kind: 'var' | 'const' | 'type' | 'func';
  /** var_spec, const_spec, type_spec, type_alias or function_declaration. */
  node: Node;
  /** Position among the names of a multi-name spec. */
  index: number;
}

/** The package-level declarations of a package, by name. */
export interface PkgIndex {
  pkg: Package;
  top: Map<string, TopDecl[]>;
}

function named(n: Node | null | undefined): n is Node {
  return !!n;
}

/** The identifiers a spec or parameter declares, in order. */
export function declNames(node: Node): Node[] {
  return node.childrenForFieldName('name').filter(named).filter((n) => n.type === 'identifier' || n.type === 'type_identifier');
}

/** Indexes the package-level declarations of every file. */
export function indexPackage(pkg: Package): PkgIndex {
  const top = new Map<string, TopDecl[]>();
  const add = (name: string, d: TopDecl): void => {
    const list = top.get(name) ?? [];
    list.push(d);
    top.set(name, list);
  };
  for (const file of pkg.files) {
    for (const n of file.root.namedChildren) {
      if (!n) continue;
      if (n.type === 'function_declaration') {
        const name = n.childForFieldName('name');
        if (name) add(name.text, { file, kind: 'func', node: n, index: 0 });
      } else if (n.type === 'var_declaration' || n.type === 'const_declaration' || n.type === 'type_declaration') {
        for (const spec of specsOf(n)) {
          const kind = n.type === 'var_declaration' ? 'var' : n.type === 'const_declaration' ? 'const' : 'type';
          declNames(spec).forEach((id, index) => add(id.text, { file, kind, node: spec, index }));
        }
      }
    }
  }
  return { pkg, top };
}

/** The specs of a var, const or type declaration, grouped or not. */
export function specsOf(decl: Node): Node[] {
  const out: Node[] = [];
  for (const c of decl.namedChildren) {
    if (!c) continue;
    if (c.type === 'var_spec_list') out.push(...c.namedChildren.filter(named).filter((s) => s.type === 'var_spec'));
    else if (c.type === 'var_spec' || c.type === 'const_spec' || c.type === 'type_spec' || c.type === 'type_alias') out.push(c);
  }
  return out;
}

/** The enclosing top-level function or method declaration of a node. */
export function enclosingTopFunc(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'function_declaration' || p.type === 'method_declaration') return p;
  }
  return undefined;
}

/** True when the identifier looks exported (upper-case first letter). */
export function isExported(name: string): boolean {
  return /^\p{Lu}/u.test(name);
}
