/**
 * How go/printer prints one element of a var group, a struct's field list or a multi-line
 * composite literal, as the stream of text and tabs text/tabwriter then aligns (see layout.ts).
 * Ported from go/printer's valueSpec, keepTypeColumn, fieldList and exprList.
 */
import { VTAB, withComment } from './layout.js';
import type { Piece } from './layout.js';

/** The lists gomend lays out: var group specs, struct fields, composite literal elements. */
export type ListKind = 'var' | 'field' | 'literal';

/** What go/printer needs to know to print one element. */
export interface ElemDesc {
  /** var: names; field: names (absent for an embedded field); literal: the key of a pair. */
  names?: string;
  /** var and field: the type; literal: unused. */
  type?: string;
  /** var: the values; literal: the value (or the whole element when there is no key). */
  value?: string;
  tag?: string;
  comment?: string;
}

/** go/printer's keepTypeColumn: which specs of a var group keep an (empty) type column. */
export function keepTypeColumn(descs: ElemDesc[]): boolean[] {
  const m = descs.map(() => false);
  let i0 = -1;
  let keep = false;
  descs.forEach((d, i) => {
    if (d.value !== undefined) {
      if (i0 < 0) {
        i0 = i;
        keep = false;
      }
    } else if (i0 >= 0) {
      if (keep) for (let k = i0; k < i; k++) m[k] = true;
      i0 = -1;
    }
    if (d.type !== undefined) keep = true;
  });
  if (i0 >= 0 && keep) for (let k = i0; k < descs.length; k++) m[k] = true;
  return m;
}

/** The printed stream of one element (go/printer's valueSpec, fieldList and exprList). */
export function piecesOf(kind: ListKind, d: ElemDesc, keepType: boolean, count: number, pairColumn: boolean): Piece[] {
  if (kind === 'var') {
    const p: Piece[] = [d.names ?? ''];
    let extra = 3;
    if (d.type !== undefined || keepType) {
      p.push(VTAB);
      extra--;
    }
    if (d.type !== undefined) p.push(d.type);
    if (d.value !== undefined) {
      p.push(VTAB, `= ${d.value}`);
      extra--;
    }
    if (d.comment !== undefined) for (; extra > 0; extra--) p.push(VTAB);
    return withComment(p, d.comment);
  }
  if (kind === 'field') {
    const sep: Piece = count === 1 ? ' ' : VTAB;
    const p: Piece[] = [];
    let extra: number;
    if (d.names !== undefined) {
      p.push(d.names, sep, d.type ?? '');
      extra = 1;
    } else {
      p.push(d.type ?? '');
      extra = 2;
    }
    if (d.tag !== undefined) {
      if (d.names !== undefined && count > 1) p.push(sep);
      p.push(sep, d.tag);
      extra = 0;
    }
    if (d.comment !== undefined) for (; extra > 0; extra--) p.push(sep);
    return withComment(p, d.comment);
  }
  const p: Piece[] = d.names !== undefined ? (pairColumn ? [`${d.names}:`, VTAB, `${d.value},`] : [`${d.names}: ${d.value},`]) : [`${d.value},`];
  return withComment(p, d.comment);
}

