/** Table tests of the edit core: validation, conflicts, coalescing, ordering and application. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyEdits, compareEdits, editsConflict, invalidEdit, mergeFixes } from '../src/edits.js';
import type { FileEdit } from '../src/edits.js';

const test = suite('edits');

const e = (start: number, end: number, text: string, file = 'a.go'): FileEdit => ({ file, start, end, text });

test('invalidEdit catches bad ranges', () => {
  const cases: [FileEdit, number, boolean][] = [
    [e(0, 0, 'x'), 5, false],
    [e(5, 5, 'x'), 5, false],
    [e(-1, 2, ''), 5, true],
    [e(3, 2, ''), 5, true],
    [e(0, 6, ''), 5, true],
    [e(0.5, 2, ''), 5, true],
  ];
  for (const [edit, len, bad] of cases) assert.is(!!invalidEdit(edit, len), bad, JSON.stringify(edit));
});

test('editsConflict: overlap, touching, insertions', () => {
  const rows: [FileEdit, FileEdit, boolean, string][] = [
    [e(0, 5, 'a'), e(3, 8, 'b'), true, 'overlapping replacements'],
    [e(0, 5, 'a'), e(5, 8, 'b'), false, 'touching replacements'],
    [e(0, 5, 'a'), e(0, 5, 'b'), true, 'same range, different text'],
    [e(3, 3, 'a'), e(3, 3, 'b'), false, 'two insertions at one point'],
    [e(3, 3, 'a'), e(0, 5, 'b'), true, 'insertion inside a replacement'],
    [e(0, 0, 'a'), e(0, 5, 'b'), false, 'insertion at the start of a replacement'],
    [e(5, 5, 'a'), e(0, 5, 'b'), false, 'insertion at the end of a replacement'],
    [e(0, 5, 'a'), e(0, 5, 'b', 'b.go'), false, 'different files'],
  ];
  for (const [a, b, want, label] of rows) {
    assert.is(editsConflict(a, b), want, label);
    assert.is(editsConflict(b, a), want, `${label} (swapped)`);
  }
});

test('mergeFixes coalesces identical edits and keeps both fixes', () => {
  const imp = e(10, 10, '\n\t"slices"');
  const fixes = [
    { id: 1, edits: [e(20, 25, 'X'), imp] },
    { id: 2, edits: [e(30, 35, 'Y'), imp] },
  ];
  const r = mergeFixes(fixes, (f) => f.edits, () => 100);
  assert.equal(r.accepted.map((f) => f.id), [1, 2]);
  assert.is(r.rejected.length, 0);
  assert.equal(r.editsByFile.get('a.go'), [imp, e(20, 25, 'X'), e(30, 35, 'Y')]);
});

test('mergeFixes leaves a conflicting fix out whole', () => {
  const fixes = [
    { id: 1, edits: [e(0, 5, 'A')] },
    { id: 2, edits: [e(50, 50, 'keep?'), e(3, 8, 'B')] },
    { id: 3, edits: [e(8, 9, 'C')] },
  ];
  const r = mergeFixes(fixes, (f) => f.edits, () => 100);
  assert.equal(r.accepted.map((f) => f.id), [1, 3]);
  assert.equal(r.rejected.map((x) => [x.item.id, x.reason]), [[2, 'conflict']]);
  // Nothing of the rejected fix leaks into the merged edits.
  assert.not.ok(r.editsByFile.get('a.go')!.some((x) => x.text === 'keep?'));
});

test('mergeFixes rejects invalid fixes and fixes naming unknown files', () => {
  const fixes = [
    { id: 1, edits: [e(0, 500, 'too far')] },
    { id: 2, edits: [e(0, 1, 'x', 'elsewhere.go')] },
    { id: 3, edits: [] as FileEdit[] },
    { id: 4, edits: [e(0, 4, 'a'), e(2, 6, 'b')] },
    { id: 5, edits: [e(0, 1, 'ok')] },
  ];
  const r = mergeFixes(fixes, (f) => f.edits, (f) => (f === 'a.go' ? 100 : undefined));
  assert.equal(r.accepted.map((f) => f.id), [5]);
  assert.equal(r.rejected.map((x) => [x.item.id, x.reason]), [[1, 'invalid'], [2, 'invalid'], [3, 'invalid'], [4, 'invalid']]);
});

test('insertions at one point from different fixes come out ordered by text', () => {
  const fixes = [
    { id: 1, edits: [e(4, 4, '"sync"')] },
    { id: 2, edits: [e(4, 4, '"slices"')] },
  ];
  const r = mergeFixes(fixes, (f) => f.edits, () => 10);
  assert.is(applyEdits('abcdefghij', r.editsByFile.get('a.go')!), 'abcd"slices""sync"efghij');
});

test('compareEdits puts an insertion before a replacement starting at the same point', () => {
  const list = [e(2, 4, 'R'), e(2, 2, 'I')].sort(compareEdits);
  assert.is(applyEdits('abcdef', list), 'abIRef');
});

test('applyEdits: replacements, deletions, insertions at both ends, non-ASCII', () => {
  const src = 'héllo 😀 world';
  const at = src.indexOf('world');
  assert.is(applyEdits(src, [e(0, 0, '>'), e(at, at + 5, 'there'), e(src.length, src.length, '<')]), '>héllo 😀 there<');
  assert.is(applyEdits('abcdef', [e(1, 3, '')]), 'adef');
  assert.is(applyEdits('abc', []), 'abc');
});

test('applyEdits refuses unsorted or overlapping input instead of guessing', () => {
  assert.throws(() => applyEdits('abcdef', [e(3, 5, 'x'), e(1, 4, 'y')]));
  assert.throws(() => applyEdits('abc', [e(-1, 1, 'x')]));
  assert.throws(() => applyEdits('abc', [e(0, 9, 'x')]));
});

test.run();
