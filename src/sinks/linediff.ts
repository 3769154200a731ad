/**
 * A line diff with no time limit: the same input gives the same hunks on any machine, however
 * loaded. A diff that gives up after a deadline prints whatever it had, so the patch would depend
 * on the machine; this one always finishes, and stays fast on files with thousands of changes.
 *
 * How: the common prefix and suffix are trimmed; lines that occur exactly once in each side of
 * what remains are matched by their longest increasing run (patience diff) and split the problem
 * into small gaps; each gap is diffed again the same way, and a gap with no such line gets Myers'
 * linear-space diff, which is minimal. A file with many scattered fixes is mostly unique lines (Go
 * code rarely repeats a whole line far apart), so the gaps stay a few lines each. Pure, no I/O.
 */

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/** Lines with their terminators, so a missing final newline is just a different last line. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * For each line of `a`, the index of the line of `b` it is kept as, or -1 when it is deleted.
 * Matches increase in both `a` and `b`; lines of `b` no line of `a` maps to are inserted.
 */
export function matchLines(a: readonly string[], b: readonly string[]): Int32Array {
  const ids = new Map<string, number>();
  const intern = (l: string) => {
    let id = ids.get(l);
    if (id === undefined) ids.set(l, (id = ids.size));
    return id;
  };
  const x = Int32Array.from(a, intern);
  const y = Int32Array.from(b, intern);
  const match = new Int32Array(x.length).fill(-1);
  const work: [number, number, number, number][] = [[0, x.length, 0, y.length]];
  while (work.length) {
    let [aLo, aHi, bLo, bHi] = work.pop()!;
    while (aLo < aHi && bLo < bHi && x[aLo] === y[bLo]) match[aLo++] = bLo++;
    while (aLo < aHi && bLo < bHi && x[aHi - 1] === y[bHi - 1]) match[--aHi] = --bHi;
    if (aLo === aHi || bLo === bHi) continue;
    const anchors = uniqueAnchors(x, aLo, aHi, y, bLo, bHi);
    if (anchors === null) continue; // no line in common: all of it is replaced
    if (anchors.length === 0) {
      myers(x, aLo, aHi, y, bLo, bHi, match);
      continue;
    }
    let pa = aLo;
    let pb = bLo;
    for (const [i, j] of anchors) {
      match[i] = j;
      if (pa < i || pb < j) work.push([pa, i, pb, j]);
      pa = i + 1;
      pb = j + 1;
    }
    if (pa < aHi || pb < bHi) work.push([pa, aHi, pb, bHi]);
  }
  return match;
}

/**
 * Lines occurring once in each range, paired, reduced to their longest run increasing in both;
 * null when the ranges have no line in common at all.
 */
function uniqueAnchors(x: Int32Array, aLo: number, aHi: number, y: Int32Array, bLo: number, bHi: number): [number, number][] | null {
  // For each line id: count in a, count in b, and its position in a.
  const seen = new Map<number, { na: number; nb: number; i: number; j: number }>();
  for (let i = aLo; i < aHi; i++) {
    const s = seen.get(x[i]);
    if (s) s.na++;
    else seen.set(x[i], { na: 1, nb: 0, i, j: -1 });
  }
  let common = false;
  for (let j = bLo; j < bHi; j++) {
    const s = seen.get(y[j]);
    if (s) {
      s.nb++;
      s.j = j;
      common = true;
    }
  }
  if (!common) return null;
  // Pairs in order of their line in b; the longest run increasing in a (patience sorting).
  const pairs: [number, number][] = [];
  for (const s of seen.values()) if (s.na === 1 && s.nb === 1) pairs.push([s.i, s.j]);
  if (pairs.length === 0) return [];
  pairs.sort((p, q) => p[1] - q[1]);
  const tails: number[] = []; // index into pairs of the smallest tail of a run of each length
  const prev = new Int32Array(pairs.length).fill(-1);
  for (let k = 0; k < pairs.length; k++) {
    const i = pairs[k][0];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]][0] < i) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[k] = tails[lo - 1];
    tails[lo] = k;
  }
  const run: [number, number][] = [];
  for (let k = tails[tails.length - 1]; k !== -1; k = prev[k]) run.push(pairs[k]);
  return run.reverse();
}

/**
 * Myers' O((N+M)D) diff in linear space (the middle-snake bisection), recording kept lines in
 * `match`. Minimal: it keeps a longest common subsequence of the two ranges.
 */
function myers(x: Int32Array, aLo: number, aHi: number, y: Int32Array, bLo: number, bHi: number, match: Int32Array): void {
  while (aLo < aHi && bLo < bHi && x[aLo] === y[bLo]) match[aLo++] = bLo++;
  while (aLo < aHi && bLo < bHi && x[aHi - 1] === y[bHi - 1]) match[--aHi] = --bHi;
  if (aLo === aHi || bLo === bHi) return;
  const n = aHi - aLo;
  const m = bHi - bLo;
  const max = Math.ceil((n + m) / 2);
  const off = max + 1;
  const vf = new Int32Array(2 * max + 3);
  const vb = new Int32Array(2 * max + 3);
  const delta = n - m;
  const odd = (delta & 1) !== 0;
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let xi = k === -d || (k !== d && vf[off + k - 1] < vf[off + k + 1]) ? vf[off + k + 1] : vf[off + k - 1] + 1;
      let yi = xi - k;
      const x0 = xi;
      const y0 = yi;
      while (xi < n && yi < m && x[aLo + xi] === y[bLo + yi]) {
        xi++;
        yi++;
      }
      vf[off + k] = xi;
      const kr = delta - k;
      if (odd && kr >= -(d - 1) && kr <= d - 1 && xi + vb[off + kr] >= n) {
        return split(x, aLo, aHi, y, bLo, bHi, match, x0, y0, xi, yi);
      }
    }
    for (let k = -d; k <= d; k += 2) {
      let xr = k === -d || (k !== d && vb[off + k - 1] < vb[off + k + 1]) ? vb[off + k + 1] : vb[off + k - 1] + 1;
      let yr = xr - k;
      const x0 = xr;
      const y0 = yr;
      while (xr < n && yr < m && x[aHi - 1 - xr] === y[bHi - 1 - yr]) {
        xr++;
        yr++;
      }
      vb[off + k] = xr;
      const kf = delta - k;
      if (!odd && kf >= -d && kf <= d && xr + vf[off + kf] >= n) {
        return split(x, aLo, aHi, y, bLo, bHi, match, n - xr, m - yr, n - x0, m - y0);
      }
    }
  }
}

/** Records the middle snake (s..e, relative to the ranges) and diffs both sides of it. */
function split(x: Int32Array, aLo: number, aHi: number, y: Int32Array, bLo: number, bHi: number, match: Int32Array, sx: number, sy: number, ex: number, ey: number): void {
  for (let i = sx, j = sy; i < ex; i++, j++) match[aLo + i] = bLo + j;
  myers(x, aLo, aLo + sx, y, bLo, bLo + sy, match);
  myers(x, aLo + ex, aHi, y, bLo + ey, bHi, match);
}

/**
 * Unified-diff hunks from `before` to `after` with `context` lines around each change; changes
 * closer than twice the context share a hunk, as in GNU diff. A line without a final newline is
 * followed by `\ No newline at end of file`.
 */
export function diffHunks(before: string, after: string, context = 3): Hunk[] {
  const a = splitLines(before);
  const b = splitLines(after);
  const match = matchLines(a, b);
  // The script: a run of kept lines, then a change block (deleted a[i0..i1), inserted b[j0..j1)).
  type Block = { i0: number; i1: number; j0: number; j1: number };
  const blocks: Block[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && match[i] === j) {
      i++;
      j++;
      continue;
    }
    const i0 = i;
    const j0 = j;
    while (i < a.length && match[i] === -1) i++;
    const next = i < a.length ? match[i] : b.length;
    j = next;
    blocks.push({ i0, i1: i, j0, j1: j });
  }
  const hunks: Hunk[] = [];
  let k = 0;
  while (k < blocks.length) {
    let last = k;
    while (last + 1 < blocks.length && blocks[last + 1].i0 - blocks[last].i1 <= 2 * context) last++;
    const first = blocks[k];
    const from = Math.max(0, first.i0 - context);
    const fromB = first.j0 - (first.i0 - from);
    const to = Math.min(a.length, blocks[last].i1 + context);
    const toB = blocks[last].j1 + (to - blocks[last].i1);
    const lines: string[] = [];
    const emit = (prefix: string, line: string) => {
      lines.push(prefix + (line.endsWith('\n') ? line.slice(0, -1) : line));
      if (!line.endsWith('\n')) lines.push('\\ No newline at end of file');
    };
    let ai = from;
    for (let q = k; q <= last; q++) {
      const bl = blocks[q];
      for (; ai < bl.i0; ai++) emit(' ', a[ai]);
      for (let p = bl.i0; p < bl.i1; p++) emit('-', a[p]);
      for (let p = bl.j0; p < bl.j1; p++) emit('+', b[p]);
      ai = bl.i1;
    }
    for (; ai < to; ai++) emit(' ', a[ai]);
    const oldLines = to - from;
    const newLines = toB - fromB;
    hunks.push({ oldStart: oldLines ? from + 1 : from, oldLines, newStart: newLines ? fromB + 1 : fromB, newLines, lines });
    k = last + 1;
  }
  return hunks;
}
