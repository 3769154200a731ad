/** The diff sink's line diff: correct patches, minimal hunks, and the same bytes on every run. */
import { applyPatch, structuredPatch } from 'diff';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileDiff } from '../src/sinks/diff.js';
import { diffHunks, matchLines, splitLines } from '../src/sinks/linediff.js';

const test = suite('diff');

/** A small deterministic PRNG so failures replay. */
function prng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

function randomPair(rnd: (n: number) => number, alphabet: number): [string, string] {
  const lines = Array.from({ length: 1 + rnd(12) }, () => `l${rnd(alphabet)}`);
  const before = lines.join('\n') + (rnd(10) < 7 ? '\n' : '');
  const changed = lines.map((l) => (rnd(10) < 3 ? `m${rnd(alphabet)}` : l));
  if (rnd(10) < 3) changed.splice(rnd(changed.length + 1), 0, 'inserted');
  if (rnd(10) < 2 && changed.length > 1) changed.splice(rnd(changed.length), 1);
  const after = changed.join('\n') + (rnd(10) < 7 ? '\n' : '');
  return [before, after];
}

/** Length of a longest common subsequence, by dynamic programming. */
function lcs(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(row[j], row[j - 1]);
      diag = up;
    }
  }
  return row[b.length];
}

test('hunks apply to give exactly the new text, final newlines included', () => {
  const rnd = prng(42);
  for (let t = 0; t < 3000; t++) {
    const [before, after] = randomPair(rnd, 4);
    if (before === after) continue;
    for (const context of [0, 1, 3]) {
      // Through the printed text: hunks that change no old line are numbered as GNU diff does.
      const got = applyPatch(before, fileDiff('f.go', before, after, undefined, context));
      assert.is(got, after, JSON.stringify({ before, after, context }));
    }
  }
});

test('matched lines are equal, increasing, and as many as a longest common subsequence when no line is unique', () => {
  const rnd = prng(7);
  for (let t = 0; t < 2000; t++) {
    // Every line doubled, so the patience step finds no anchor and the minimal diff decides.
    const [x, y] = randomPair(rnd, 3);
    const a = splitLines(x).flatMap((l) => [l, l]);
    const b = splitLines(y).flatMap((l) => [l, l]);
    const match = matchLines(a, b);
    let last = -1;
    let kept = 0;
    match.forEach((j, i) => {
      if (j === -1) return;
      assert.is(a[i], b[j]);
      assert.ok(j > last, 'increasing');
      last = j;
      kept++;
    });
    assert.is(kept, lcs(a, b), JSON.stringify({ a, b }));
  }
});

/** A Go file of `n` functions; `fixed` adds a lock to each one, as map-rwmutex would. */
function manyFuncs(n: number, fixed: boolean): string {
  let s = 'package big\n\nimport "sync"\n\nvar mu sync.Mutex\nvar m = map[string]int{}\n';
  for (let i = 0; i < n; i++) {
    s += `\n// f${i} stores its number\n// under two keys.\nfunc f${i}() {\n`;
    if (fixed) s += '\tmu.Lock()\n\tdefer mu.Unlock()\n';
    s += `\tm["k${i}"] = ${i}\n\tm["K${i}"] = ${i}\n}\n`;
  }
  return s;
}

test('a file with 3000 fixes gives one minimal hunk per fix, the same bytes every run', () => {
  const before = manyFuncs(3000, false);
  const after = manyFuncs(3000, true);
  const first = fileDiff('big.go', before, after);
  const hunks = diffHunks(before, after);
  assert.is(hunks.length, 3000);
  for (const h of hunks) {
    assert.is(h.lines.filter((l) => l.startsWith('+')).length, 2, h.lines.join('\n'));
    assert.is(h.lines.filter((l) => l.startsWith('-')).length, 0);
    assert.ok(h.oldLines <= 6 + 1, `${h.oldLines} old lines`);
  }
  for (let run = 0; run < 3; run++) assert.is(fileDiff('big.go', before, after), first);
  assert.is(applyPatch(before, first), after);
});

test('hunks of an ordinary change are the ones jsdiff gives', () => {
  const before = manyFuncs(40, false);
  const after = manyFuncs(40, true).replace('m["k7"] = 7', 'm["k7"] = 70').replace('// f30 stores its number\n', '');
  const theirs = structuredPatch('a', 'b', before, after, '', '', { context: 3 }).hunks;
  assert.equal(diffHunks(before, after, 3), theirs.map(({ oldStart, oldLines, newStart, newLines, lines }) => ({ oldStart, oldLines, newStart, newLines, lines })));
});

test('an empty file, a file emptied, and a last line without a newline', () => {
  assert.equal(diffHunks('', 'a\n'), [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 1, lines: ['+a'] }]);
  assert.equal(diffHunks('a\n', ''), [{ oldStart: 1, oldLines: 1, newStart: 0, newLines: 0, lines: ['-a'] }]);
  assert.equal(diffHunks('a', 'a\n'), [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ['-a', '\\ No newline at end of file', '+a'] }]);
  assert.equal(diffHunks('same\n', 'same\n'), []);
});

test.run();
