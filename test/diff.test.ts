/** The diff sink's coarse fallback (used when a minimal diff would take too long) is a correct patch. */
import { applyPatch } from 'diff';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { coarseHunk } from '../src/sinks/diff.js';

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

test('coarseHunk applies to give exactly the new text, final newlines included', () => {
  const rnd = prng(42);
  for (let t = 0; t < 3000; t++) {
    const lines = Array.from({ length: 1 + rnd(8) }, () => `l${rnd(4)}`);
    const before = lines.join('\n') + (rnd(10) < 7 ? '\n' : '');
    const changed = lines.map((l) => (rnd(10) < 3 ? `m${rnd(4)}` : l));
    if (rnd(10) < 3) changed.splice(rnd(changed.length + 1), 0, 'inserted');
    if (rnd(10) < 2 && changed.length > 1) changed.splice(rnd(changed.length), 1);
    const after = changed.join('\n') + (rnd(10) < 7 ? '\n' : '');
    if (before === after) continue;
    const got = applyPatch(before, { oldFileName: 'a', newFileName: 'b', oldHeader: '', newHeader: '', hunks: coarseHunk(before, after, 3) });
    assert.is(got, after, JSON.stringify({ before, after }));
  }
});

test.run();
