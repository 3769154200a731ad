/**
 * What gomend knows about the standard library without type information: the types of a few
 * constants and single-result functions, which calls have no side effects, and how a qualified name
 * `pkg.Name` reads as `"path".Name`.
 */
import type { GoFile, Node } from '../../src/types.js';
import { packageType, predeclared } from './gotypes.js';
import type { GoType } from './gotypes.js';
import { importPathOf, resolveLocal } from './scope.js';
import type { PkgIndex } from './symbols.js';

/** time.Duration, the type of time's unit constants. */
export const duration: GoType = { canon: '"time".Duration', spelled: '"time".Duration' };
const str: GoType = { canon: 'string', spelled: 'string' };

/** Standard library constants whose type is fixed. */
export const KNOWN_VALUES: Record<string, GoType> = Object.fromEntries(
  ['Nanosecond', 'Microsecond', 'Millisecond', 'Second', 'Minute', 'Hour'].map((n) => [`"time".${n}`, duration]),
);

/** Standard library functions whose single result type is fixed. */
export const KNOWN_FUNCS: Record<string, GoType> = {
  '"time".Now': { canon: '"time".Time', spelled: '"time".Time' },
  '"time".Since': duration,
  '"time".Until': duration,
  ...Object.fromEntries(['Sprintf', 'Sprint', 'Sprintln'].map((n) => [`"fmt".${n}`, str])),
  ...Object.fromEntries(['Itoa', 'FormatInt', 'FormatUint', 'FormatFloat', 'FormatBool', 'Quote'].map((n) => [`"strconv".${n}`, str])),
  ...Object.fromEntries(
    ['ToLower', 'ToUpper', 'TrimSpace', 'Join', 'Repeat', 'Replace', 'ReplaceAll', 'Trim', 'TrimPrefix', 'TrimSuffix'].map((n) => [`"strings".${n}`, str]),
  ),
};

/** `pkg.Name` as `"path".Name` when `pkg` is an import of the file (not shadowed). */
export function qualified(idx: PkgIndex, file: GoFile, sel: Node): string | undefined {
  const operand = sel.childForFieldName('operand');
  const field = sel.childForFieldName('field');
  if (!operand || operand.type !== 'identifier' || !field) return undefined;
  if (resolveLocal(operand.text, sel) || idx.top.has(operand.text)) return undefined;
  const path = importPathOf(file, operand.text);
  return path ? `"${path}".${field.text}` : undefined;
}

/**
 * True when evaluating `n` may have side effects or depend on them (calls other than conversions,
 * builtins and a few pure library functions, receives): moving such expressions relative to each
 * other could change what a program does.
 */
export function hasEffects(idx: PkgIndex, file: GoFile, n: Node): boolean {
  const nodes = [n, ...n.descendantsOfType(['call_expression', 'unary_expression'])];
  return nodes.some((x) => {
    if (!x) return false;
    if (x.type === 'unary_expression') return x.childForFieldName('operator')?.type === '<-';
    if (x.type !== 'call_expression') return false;
    const fn = x.childForFieldName('function');
    if (fn?.type === 'identifier') {
      if (predeclared(idx, fn.text, fn)) return !/^(len|cap|make|new|complex|real|imag|min|max|bool|string|u?int(8|16|32|64)?|uintptr|float(32|64)|complex(64|128)|byte|rune)$/.test(fn.text);
      return !packageType(idx, fn.text, fn);
    }
    if (fn?.type === 'selector_expression') {
      const q = qualified(idx, file, fn);
      // Only strconv and strings are free to move: fmt may call String methods, time reads the clock.
      return !(q && ((KNOWN_FUNCS[q] && /^"(strconv|strings)"\./.test(q)) || q === '"time".Duration'));
    }
    return true;
  });
}

