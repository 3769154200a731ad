/**
 * The JavaScript copy of a tree must answer every question exactly as the wasm tree does: types,
 * extents, named-ness, field names and children, on every fixture of the repository and on a
 * package of Go's own source.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Node } from 'web-tree-sitter';
import { fastMirrorInUse, mirrorTree, type SyntaxNode } from '../src/mirror.js';
import { initParser, withTree } from '../src/parse.js';

const test = suite('mirror');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

test.before(async () => {
  await initParser();
});

/** The first difference between a wasm node and its copy, as a path of types, or undefined. */
function difference(a: Node, m: SyntaxNode, at = ''): string | undefined {
  const here = `${at}/${a.type}@${a.startIndex}`;
  if (a.type !== m.type || a.isNamed !== m.isNamed || a.startIndex !== m.startIndex || a.endIndex !== m.endIndex || a.childCount !== m.childCount) return here;
  if (a.text !== m.text) return `${here} text`;
  for (let i = 0; i < a.childCount; i++) {
    if (a.fieldNameForChild(i) !== m.fieldNameForChild(i)) return `${here} field of child ${i}`;
    const d = difference(a.child(i)!, m.child(i)!, here);
    if (d) return d;
  }
  return undefined;
}

function goFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.go'))
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

test('the pinned runtime is copied with the fast walk', () => {
  assert.ok(fastMirrorInUse());
});

test('every fixture file is copied exactly, syntax errors included', () => {
  const files = goFiles(path.join(root, 'fixtures'));
  assert.ok(files.length > 50);
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    const d = withTree(src, (t) => difference(t.rootNode, mirrorTree(t, src)));
    assert.is(d, undefined, `${f}: ${d}`);
  }
});

test('a package of Go source with non-ASCII text is copied exactly', () => {
  let goroot = '';
  try {
    goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  } catch {
    return;
  }
  const dir = path.join(goroot, 'src', 'unicode', 'utf8');
  if (!existsSync(dir)) return;
  for (const f of goFiles(dir)) {
    const src = readFileSync(f, 'utf8');
    const d = withTree(src, (t) => difference(t.rootNode, mirrorTree(t, src)));
    assert.is(d, undefined, `${f}: ${d}`);
  }
});

/**
 * The first difference in the questions answered from the arrays without a child list (named
 * children by position, first, last and previous siblings, the nearest function around, searches
 * by type with ERROR among the types), or undefined.
 */
function walkDifference(a: Node, m: SyntaxNode, fnAround: SyntaxNode | null = null): string | undefined {
  const here = `${a.type}@${a.startIndex}`;
  if (a.namedChildCount !== m.namedChildCount) return `${here} namedChildCount`;
  for (let i = 0; i < a.namedChildCount; i++) if (a.namedChild(i)!.startIndex !== m.namedChild(i)?.startIndex || m.namedChild(i) !== m.namedChildren[i]) return `${here} namedChild ${i}`;
  if (m.namedChild(a.namedChildCount) !== null || m.child(a.childCount) !== null) return `${here} child past the end`;
  if ((a.firstChild?.startIndex ?? -1) !== (m.firstChild?.startIndex ?? -1) || (a.lastChild?.endIndex ?? -1) !== (m.lastChild?.endIndex ?? -1)) return `${here} first or last child`;
  if (a.previousSibling?.type !== m.previousSibling?.type || a.previousSibling?.startIndex !== m.previousSibling?.startIndex) return `${here} previousSibling`;
  if (m.closest(['function_declaration', 'method_declaration', 'func_literal']) !== fnAround) return `${here} closest function`;
  // At the root and top-level declarations (every node would be quadratic); one type at a time:
  // web-tree-sitter finds nothing for a list that holds 'ERROR'.
  if (m.parent?.parent) return walkChildren(a, m, fnAround);
  for (const type of ['ERROR', 'identifier', 'call_expression']) if (a.descendantsOfType(type).length !== m.descendantsOfType(type).length) return `${here} descendantsOfType ${type}`;
  if (m.descendantsOfType(['identifier', 'call_expression']).length !== a.descendantsOfType(['identifier', 'call_expression']).length) return `${here} descendantsOfType of a list`;
  return walkChildren(a, m, fnAround);
}

function walkChildren(a: Node, m: SyntaxNode, fnAround: SyntaxNode | null): string | undefined {
  const inner = ['function_declaration', 'method_declaration', 'func_literal'].includes(m.type) ? m : fnAround;
  for (let i = 0; i < a.childCount; i++) {
    const d = walkDifference(a.child(i)!, m.child(i)!, inner);
    if (d) return d;
  }
  return undefined;
}

test('named children, siblings, the function around and searches by type agree with the wasm tree, syntax errors included', () => {
  let errors = 0;
  for (const f of goFiles(path.join(root, 'fixtures'))) {
    const src = readFileSync(f, 'utf8');
    const d = withTree(src, (t) => {
      if (t.rootNode.hasError) errors++;
      return walkDifference(t.rootNode, mirrorTree(t, src));
    });
    assert.is(d, undefined, `${f}: ${d}`);
  }
  assert.ok(errors > 0, 'some fixture has a syntax error');
});

test('node questions: fields, named children, parents, descendants include the node itself', () => {
  const src = 'package p\n\nfunc f(a int) { go g(a, "é") }\n';
  withTree(src, (t) => {
    const r = mirrorTree(t, src);
    const fn = r.namedChildren[1];
    assert.is(fn.type, 'function_declaration');
    assert.is(fn.childForFieldName('name')?.text, 'f');
    assert.is(fn.childForFieldName('nothing'), null);
    const call = fn.descendantsOfType('call_expression')[0];
    assert.is(call.descendantsOfType(['call_expression'])[0], call);
    assert.is(call.parent?.type, 'go_statement');
    assert.equal(call.childForFieldName('arguments')!.namedChildren.map((n) => n.text), ['a', '"é"']);
    assert.equal(call.startPosition, { row: 2, column: 19 });
    assert.ok(r.equals(call.tree.rootNode));
  });
});

test.run();
