/**
 * `//gomend:ignore` suppression comments.
 *
 * A finding is suppressed by a `//gomend:ignore` comment on its own line or on the line above;
 * `//gomend:ignore a,b` names the transforms it silences, a bare one silences all. Users reach for
 * this when gomend is right in general but wrong about one place, so it must be cheap and local.
 */

const directive = /\/\/\s*gomend:ignore\b([^\n]*)/;

function lineBounds(source: string, index: number): { start: number; end: number } {
  const start = source.lastIndexOf('\n', index - 1) + 1;
  const nl = source.indexOf('\n', index);
  return { start, end: nl === -1 ? source.length : nl };
}

function lineSilences(line: string, transform: string): boolean {
  const m = directive.exec(line);
  if (!m) return false;
  const names = m[1].trim().split(/\s+/)[0];
  if (!names || names.startsWith('//') || names === '-') return true;
  return names.split(',').map((n) => n.trim()).includes(transform);
}

/** True when the finding starting at `index` is silenced for `transform`. */
export function suppressed(source: string, index: number, transform: string): boolean {
  if (!source.includes('gomend:ignore')) return false;
  const here = lineBounds(source, index);
  if (lineSilences(source.slice(here.start, here.end), transform)) return true;
  if (here.start === 0) return false;
  const above = lineBounds(source, here.start - 1);
  return lineSilences(source.slice(above.start, above.end), transform);
}
