/** Writing code into finding messages. */

/** An expression on one line for a message, cut after 37 characters when it is longer than 40. */
export function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
}
