/**
 * A mirror made without parsing (over a live mirror's arrays) must be what mirroring the text
 * again gives: same shape, its own nodes and ids.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MirrorTree, mirrorTree, type SyntaxNode } from '../src/mirror.js';
import { mirrorFile, sharedMirror } from '../src/mirror-share.js';
import { initParser, withTree } from '../src/parse.js';
import type { GoFile } from '../src/types.js';

const test = suite('mirror-share');

test.before(async () => {
  await initParser();
});

const SOURCE = 'package p\n\nimport "sync"\n\ntype T struct {\n\tmu sync.Mutex\n\tm  map[string]int // é\n}\n\nfunc (t *T) f(k string) {\n\tgo func() { t.m[k]++ }()\n}\n\nfunc g( {\n';

/** Types, extents, named-ness and field names throughout, as a string. */
function shape(n: SyntaxNode): string {
  return `${n.type}${n.isNamed ? '' : '!'}@${n.startIndex}-${n.endIndex}(${n.children.map((c, i) => `${n.fieldNameForChild(i) ?? ''}:${shape(c)}`).join(',')})`;
}

test('a tree over another mirror’s arrays has the same shape and its own nodes and ids', () => {
  const a = withTree(SOURCE, (t) => mirrorTree(t, SOURCE));
  const b = MirrorTree.over(a.tree).rootNode;
  assert.is(shape(b), shape(a));
  assert.is(b.tree.hasError, a.tree.hasError);
  assert.ok(b !== a && b.id !== a.id);
  const call = b.descendantsOfType('call_expression')[0];
  assert.is(call.tree, b.tree);
  assert.is(b.descendantForIndex(call.startIndex, call.endIndex), call);
});

test('a file whose text is mirrored already is not parsed again, and gets a mirror of its own', () => {
  let parsed = 0;
  const file = (p: string) => {
    const f = { path: p, source: SOURCE, packageName: 'p', isTest: false } as GoFile;
    Object.defineProperty(f, 'tree', { get: () => (parsed++, withTree(SOURCE, (t) => t.copy())) });
    return f;
  };
  const first = mirrorFile(file('a.go'), false);
  const again = mirrorFile(file('b.go'), false);
  assert.is(parsed, 1);
  assert.ok(sharedMirror(SOURCE));
  assert.ok(first !== again && first.tree !== again.tree);
  assert.is(shape(again), shape(first));
  assert.ok(first.tree, "the first mirror is alive to here");
});

test.run();
