/**
 * The type half of the standard-library table (stdlib.ts): types of std values, underlying types
 * of std named types, std struct fields, and the parser of the table's Go type syntax.
 */
import type { StdFunc } from './stdlib.js';
import { basic, pointer, unknown } from './types.js';
import type { Type } from './types.js';

/** Types of standard-library variables and constants. */
export const STD_VALUES: Record<string, string> = {
  ...Object.fromEntries(['Nanosecond', 'Microsecond', 'Millisecond', 'Second', 'Minute', 'Hour'].map((n) => [`time.${n}`, 'time.Duration'])),
  'io.EOF': 'error',
  'os.Stdout': '*os.File',
  'os.Stderr': '*os.File',
  'os.Stdin': '*os.File',
  'os.Args': '[]string',
  'net/http.DefaultClient': '*net/http.Client',
  'context.Canceled': 'error',
  'context.DeadlineExceeded': 'error',
};

/** Underlying types of standard-library named types (Go syntax, full import paths). */
export const STD_TYPES: Record<string, string> = {
  'time.Duration': 'int64',
  'time.Month': 'int',
  'time.Weekday': 'int',
  'net/http.Header': 'map[string][]string',
  'net/url.Values': 'map[string][]string',
  'sort.StringSlice': '[]string',
  'sort.IntSlice': '[]int',
  'encoding/json.RawMessage': '[]byte',
  'net.IP': '[]byte',
  'os.FileMode': 'uint32',
  'io/fs.FileMode': 'uint32',
  'context.CancelFunc': 'func()',
  'net/http.HandlerFunc': 'func(net/http.ResponseWriter, *net/http.Request)',
  'context.Context': 'interface{}',
  'net.Conn': 'interface{}',
  'io.Reader': 'interface{}',
  'io.Writer': 'interface{}',
  'io.ReadCloser': 'interface{}',
  'net/http.ResponseWriter': 'interface{}',
  'net/http.Handler': 'interface{}',
};

/** Type parameters of generic standard-library types, as the table's `$T` names them. */
export const STD_TYPE_PARAMS: Record<string, string[]> = {
  'sync/atomic.Pointer': ['T'],
};

/** Fields of standard-library structs (`path.T.Field`). */
export const STD_FIELDS: Record<string, string> = {
  'net/http.Request.URL': '*net/url.URL',
  'net/http.Request.Header': 'net/http.Header',
  'net/http.Request.Body': 'io.ReadCloser',
  'net/http.Request.Method': 'string',
  'net/http.Request.Form': 'net/url.Values',
  'net/http.Response.Body': 'io.ReadCloser',
  'net/http.Response.Header': 'net/http.Header',
  'net/http.Response.StatusCode': 'int',
  'net/url.URL.Path': 'string',
  'net/url.URL.Host': 'string',
  'sync.Pool.New': 'func() any',
  'time.Timer.C': '<-chan time.Time',
  'time.Ticker.C': '<-chan time.Time',
};

/** A standard-library named type: underlying from STD_TYPES when listed, else unknown. */
export function stdNamed(pkg: string, name: string): Type {
  let under: Type | undefined;
  const key = `${pkg}.${name}`;
  return { kind: 'named', name, pkg, underlying: () => (under ??= STD_TYPES[key] ? parseType(STD_TYPES[key]) : unknown(`type ${key}`)) };
}

/** Parses a type written in the table's Go syntax. */
export function parseType(src: string): Type {
  let i = 0;
  const ws = () => {
    while (src[i] === ' ') i++;
  };
  const eat = (s: string) => {
    ws();
    if (src.startsWith(s, i)) {
      i += s.length;
      return true;
    }
    return false;
  };
  const list = (close: string): Type[] => {
    const out: Type[] = [];
    while (!eat(close) && i < src.length) {
      out.push(one());
      eat(',');
    }
    return out;
  };
  const one = (): Type => {
    ws();
    if (eat('*')) return pointer(one());
    if (eat('[]')) return { kind: 'slice', elem: one() };
    if (eat('map[')) {
      const key = one();
      eat(']');
      return { kind: 'map', key, elem: one() };
    }
    if (eat('[')) {
      const j = src.indexOf(']', i);
      const len = src.slice(i, j);
      i = j + 1;
      return { kind: 'array', len, elem: one() };
    }
    if (eat('<-chan ')) return { kind: 'chan', dir: 'recv', elem: one() };
    if (eat('chan ')) return { kind: 'chan', dir: 'both', elem: one() };
    if (eat('func(')) {
      const params = list(')');
      ws();
      const results = eat('(') ? list(')') : i < src.length && src[i] !== ',' && src[i] !== ')' ? [one()] : [];
      return { kind: 'func', params, results, variadic: false };
    }
    if (eat('(')) return { kind: 'tuple', types: list(')') };
    if (eat('interface{}') || eat('any')) return { kind: 'interface', methods: [], embeds: [] };
    if (eat('$')) {
      const p = /^\w+/.exec(src.slice(i))![0];
      i += p.length;
      return { kind: 'typeparam', name: p };
    }
    const m = /^[\w./-]+/.exec(src.slice(i))!;
    i += m[0].length;
    const word = m[0];
    const dot = word.lastIndexOf('.');
    if (dot < 0) {
      if (word === 'error') return { kind: 'named', name: 'error', pkg: '', underlying: () => ({ kind: 'interface', embeds: [], methods: [{ name: 'Error', type: { kind: 'func', params: [], results: [basic('string')], variadic: false } }] }) };
      return basic(word === 'byte' ? 'uint8' : word === 'rune' ? 'int32' : word);
    }
    return stdNamed(word.slice(0, dot), word.slice(dot + 1));
  };
  const t = one();
  return t.kind === 'tuple' && t.types.length === 1 ? t.types[0] : t;
}

/** The result type of a listed function or method: one type, a tuple, or unknown. */
export function stdResult(f: StdFunc | undefined, what: string): Type {
  if (!f) return unknown(what);
  if (f.results === undefined) return { kind: 'tuple', types: [] };
  return parseType(f.results);
}
