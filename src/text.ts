/** Small helpers on source text, shared by the transforms: a line's end, code without blanks, code in a message. */

/** Index of the end of the line holding `index` (its newline, or the end of the text). */
export function lineEnd(source: string, index: number): number {
  const nl = source.indexOf('\n', index);
  return nl === -1 ? source.length : nl;
}

/** The blanks that open the line holding `index`, before `index`. */
export function indentBefore(source: string, index: number): string {
  return /^[ \t]*/.exec(source.slice(source.lastIndexOf('\n', index - 1) + 1, index))![0];
}

/** Code without its blanks, to compare two spellings of one expression (`m[k]`, `m[ k ]`). */
export const flat = (text: string): string => text.replace(/\s+/g, '');

/** An expression on one line for a message, cut after 37 characters when it is longer than 40. */
export function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
}
