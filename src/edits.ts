/**
 * The edit core: validate, merge and apply text edits. Pure functions, no I/O.
 *
 * Fixes from different findings are independent changes to the same original text (like commits
 * with one parent). Merging them follows three rules: identical edits coalesce (two fixes adding the
 * same import), edits that only touch are fine, and a fix with any edit that overlaps an edit already
 * accepted is left out whole. Insertions at one point from different fixes are all kept, ordered by
 * their text so the result does not depend on which fix came first (two import lines come out
 * sorted). Edits are validated before they reach magic-string, which wraps negative indices silently
 * and throws halfway through on overlaps.
 */
import MagicString from 'magic-string';
import type { Edit, Fix } from './types.js';

/** An edit resolved to the file it belongs to. */
export interface FileEdit {
  file: string;
  start: number;
  end: number;
  text: string;
}

/** Why a fix could not be merged. */
export type RejectReason = 'conflict' | 'invalid';

export interface MergeResult<T> {
  /** Fixes whose edits were all merged (some may have coalesced with earlier ones). */
  accepted: T[];
  /** Fixes left out whole, with the reason. */
  rejected: { item: T; reason: RejectReason; detail: string }[];
  /** Accepted edits per file, sorted and non-overlapping, ready for `applyEdits`. */
  editsByFile: Map<string, FileEdit[]>;
}

/** Resolves a fix's edits to files: an edit without `file` belongs to `defaultFile`. */
export function resolveEdits(fix: Fix, defaultFile: string): FileEdit[] {
  return fix.edits.map((e) => ({ file: e.file ?? defaultFile, start: e.start, end: e.end, text: e.text }));
}

/** A problem with one edit against the text it applies to, or undefined when it is well formed. */
export function invalidEdit(edit: Edit, length: number): string | undefined {
  if (!Number.isInteger(edit.start) || !Number.isInteger(edit.end)) return 'edit offsets must be integers';
  if (edit.start < 0 || edit.end < 0) return `negative offset ${Math.min(edit.start, edit.end)}`;
  if (edit.start > edit.end) return `start ${edit.start} is after end ${edit.end}`;
  if (edit.end > length) return `end ${edit.end} is past the end of the text (${length})`;
  if (typeof edit.text !== 'string') return 'edit text must be a string';
  return undefined;
}

function sameEdit(a: FileEdit, b: FileEdit): boolean {
  return a.file === b.file && a.start === b.start && a.end === b.end && a.text === b.text;
}

/**
 * True when two different edits of one file cannot both apply. Touching is fine; an insertion at the
 * boundary of a replacement is fine; an insertion strictly inside a replaced range is not; two
 * insertions at one point are fine (both are kept).
 */
export function editsConflict(a: FileEdit, b: FileEdit): boolean {
  if (a.file !== b.file) return false;
  const aInsert = a.start === a.end;
  const bInsert = b.start === b.end;
  if (aInsert && bInsert) return false;
  if (aInsert) return a.start > b.start && a.start < b.end;
  if (bInsert) return b.start > a.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

/** Orders edits for application: by position, insertions before a replacement at the same point. */
export function compareEdits(a: FileEdit, b: FileEdit): number {
  if (a.start !== b.start) return a.start - b.start;
  const aInsert = a.start === a.end ? 0 : 1;
  const bInsert = b.start === b.end ? 0 : 1;
  if (aInsert !== bInsert) return aInsert - bInsert;
  if (a.end !== b.end) return a.end - b.end;
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}

/**
 * Merges fixes in the order given. `edits` gives each item's resolved edits and `lengthOf` each
 * file's text length (undefined: the file is not part of this package, so the fix is invalid).
 */
export function mergeFixes<T>(
  items: T[],
  edits: (item: T) => FileEdit[],
  lengthOf: (file: string) => number | undefined,
): MergeResult<T> {
  const accepted: T[] = [];
  const rejected: MergeResult<T>['rejected'] = [];
  const taken = new TakenEdits();

  for (const item of items) {
    const fixEdits = edits(item);
    const problem = validateFix(fixEdits, lengthOf);
    if (problem) {
      rejected.push({ item, reason: 'invalid', detail: problem });
      continue;
    }
    const fresh: FileEdit[] = [];
    let clash: FileEdit | undefined;
    for (const e of fixEdits) {
      if (taken.has(e) || fresh.some((t) => sameEdit(t, e))) continue;
      clash = taken.conflict(e);
      if (clash) break;
      fresh.push(e);
    }
    if (clash) {
      rejected.push({ item, reason: 'conflict', detail: `overlaps an edit at ${clash.file}:${clash.start}-${clash.end}` });
      continue;
    }
    for (const e of fresh) taken.add(e);
    accepted.push(item);
  }

  const editsByFile = taken.byFile();
  for (const list of editsByFile.values()) list.sort(compareEdits);
  return { accepted, rejected, editsByFile };
}

/** Index of `starts` (ascending) of the last element below `x`, or -1. */
function lastBelow(starts: number[], x: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Inserts `x` into the ascending `list` (appending is the common case: fixes arrive in order). */
function insertSorted(list: number[], x: number): void {
  if (list.length === 0 || list[list.length - 1] <= x) list.push(x);
  else list.splice(lastBelow(list, x) + 1, 0, x);
}

/**
 * The edits accepted so far, indexed so that merging stays near-linear in the number of fixes (a
 * large file can carry tens of thousands). Accepted replacements never overlap, so sorted by start
 * they are sorted by end too, and the one that could overlap a range is found by binary search.
 */
class TakenEdits {
  private readonly keys = new Set<string>();
  private readonly all: FileEdit[] = [];
  /** Per file: replacement starts (sorted), the replacement by start, insertion points (sorted). */
  private readonly files = new Map<string, { starts: number[]; byStart: Map<number, FileEdit>; points: number[]; pointEdit: Map<number, FileEdit> }>();

  has(e: FileEdit): boolean {
    return this.keys.has(keyOf(e));
  }

  conflict(e: FileEdit): FileEdit | undefined {
    const f = this.files.get(e.file);
    if (!f) return undefined;
    if (e.start === e.end) {
      const i = lastBelow(f.starts, e.start);
      const t = i >= 0 ? f.byStart.get(f.starts[i])! : undefined;
      return t && e.start < t.end ? t : undefined;
    }
    const i = lastBelow(f.starts, e.end);
    const t = i >= 0 ? f.byStart.get(f.starts[i])! : undefined;
    if (t && e.start < t.end) return t;
    const j = lastBelow(f.points, e.end);
    return j >= 0 && f.points[j] > e.start ? f.pointEdit.get(f.points[j]) : undefined;
  }

  add(e: FileEdit): void {
    this.keys.add(keyOf(e));
    this.all.push(e);
    let f = this.files.get(e.file);
    if (!f) {
      f = { starts: [], byStart: new Map(), points: [], pointEdit: new Map() };
      this.files.set(e.file, f);
    }
    if (e.start === e.end) {
      if (!f.pointEdit.has(e.start)) {
        insertSorted(f.points, e.start);
        f.pointEdit.set(e.start, e);
      }
    } else {
      insertSorted(f.starts, e.start);
      f.byStart.set(e.start, e);
    }
  }

  byFile(): Map<string, FileEdit[]> {
    const out = new Map<string, FileEdit[]>();
    for (const e of this.all) {
      const list = out.get(e.file) ?? [];
      list.push(e);
      out.set(e.file, list);
    }
    return out;
  }
}

function keyOf(e: FileEdit): string {
  return `${e.file}\0${e.start}\0${e.end}\0${e.text}`;
}

/** Checks a single fix: every edit in bounds, and no two of its own edits overlap. */
export function validateFix(fixEdits: FileEdit[], lengthOf: (file: string) => number | undefined): string | undefined {
  if (fixEdits.length === 0) return 'fix has no edits';
  for (const e of fixEdits) {
    const length = lengthOf(e.file);
    if (length === undefined) return `edit names a file outside the package: ${e.file}`;
    const bad = invalidEdit(e, length);
    if (bad) return `${e.file}: ${bad}`;
  }
  for (let i = 0; i < fixEdits.length; i++) {
    for (let j = i + 1; j < fixEdits.length; j++) {
      if (sameEdit(fixEdits[i], fixEdits[j])) continue;
      if (editsConflict(fixEdits[i], fixEdits[j])) return 'two edits of the fix overlap';
    }
  }
  return undefined;
}

/**
 * Applies sorted, non-overlapping edits (as produced by `mergeFixes`) to one text. Throws on edits
 * that were not validated: that is a bug in the caller, never something to paper over.
 */
export function applyEdits(source: string, edits: readonly { start: number; end: number; text: string }[]): string {
  if (edits.length === 0) return source;
  const s = new MagicString(source);
  let last = 0;
  for (const e of edits) {
    const bad = invalidEdit(e, source.length);
    if (bad) throw new Error(`applyEdits: ${bad}`);
    if (e.start < last) throw new Error(`applyEdits: edits overlap or are unsorted at ${e.start}`);
    if (e.start === e.end) {
      if (e.text) s.appendLeft(e.start, e.text);
    } else if (e.text) {
      s.update(e.start, e.end, e.text);
    } else {
      s.remove(e.start, e.end);
    }
    last = e.end;
  }
  return s.toString();
}
