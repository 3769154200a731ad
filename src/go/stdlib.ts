/**
 * One table of standard-library (and x/ library) facts, keyed by full import path, used by the
 * model for types and by every transform and gate for behaviour. Keys: `path.Func`,
 * `path.(*T).Method` (pointer receiver), `path.T.Method` (value receiver), `path.T` (types).
 * Argument positions never count the receiver. Anything not listed is "cannot tell".
 */
import { formatsArguments, READS_SLICE_ARGS, WRITES_SLICE_ARG } from './stdlib-args.js';
import type { ArgEffect } from './stdlib-args.js';
import { STD_FIELDS, STD_TYPES } from './stdlib-types.js';

export { builtinArgEffect, JOIN_METHODS, methodArgEffect, SIGNAL_METHODS } from './stdlib-args.js';
export type { ArgEffect } from './stdlib-args.js';
export { parseType, STD_FIELDS, STD_TYPE_PARAMS, STD_TYPES, STD_VALUES, stdNamed, stdResult } from './stdlib-types.js';

export interface StdFunc {
  /** Results in Go syntax with full import paths (`*net/http.Request`; `(int, error)`). */
  results?: string;
  /** The result is a view of memory the receiver keeps reusing (`bytes.(*Buffer).Bytes`). */
  view?: boolean;
  /** Runs its argument at this position on another goroutine (now or later). */
  spawns?: number;
  /** Registers the argument at this position as a callback run on the server's goroutines. */
  handler?: number;
  /** Slice arguments written into. */
  writes?: number[];
  /** Slice arguments kept beyond the call (stored, or handed to another goroutine). */
  keeps?: number[];
  /** Slice arguments only read, not kept. `-1`: every argument. */
  reads?: number[];
  /** Orders the caller after other goroutines (waits, locks, receives). */
  joins?: boolean;
  /** Lets other goroutines proceed (unlocks, Done, Signal, stores). */
  signals?: boolean;
  /** sync.Pool traffic. */
  pool?: 'get' | 'put';
}

const F = (results: string, more: Omit<StdFunc, 'results'> = {}): StdFunc => ({ results, ...more });
const R = (...positions: number[]): StdFunc => ({ reads: positions });

export const STD_FUNCS: Record<string, StdFunc> = {
  // Goroutines: who starts them.
  'sync.(*WaitGroup).Go': { spawns: 0 },
  'sync.(*WaitGroup).Wait': { joins: true },
  'sync.(*WaitGroup).Done': { signals: true },
  'sync.(*WaitGroup).Add': {},
  'golang.org/x/sync/errgroup.(*Group).Go': { spawns: 0 },
  'golang.org/x/sync/errgroup.(*Group).TryGo': F('bool', { spawns: 0 }),
  'golang.org/x/sync/errgroup.(*Group).Wait': F('error', { joins: true }),
  'golang.org/x/sync/errgroup.WithContext': F('(*golang.org/x/sync/errgroup.Group, context.Context)'),
  'time.AfterFunc': F('*time.Timer', { spawns: 1 }),
  'runtime.SetFinalizer': { spawns: 1 },
  'runtime.AddCleanup': { spawns: 1 },
  'net/http.HandleFunc': { handler: 1 },
  'net/http.Handle': { handler: 1 },
  'net/http.(*ServeMux).HandleFunc': { handler: 1 },
  'net/http.(*ServeMux).Handle': { handler: 1 },
  'net/http.HandlerFunc': { handler: 0 },
  'net/http.ListenAndServe': F('error'),
  // Joins and signals.
  'sync.(*Mutex).Lock': { joins: true },
  'sync.(*Mutex).TryLock': F('bool', { joins: true }),
  'sync.(*Mutex).Unlock': { signals: true },
  'sync.(*RWMutex).Lock': { joins: true },
  'sync.(*RWMutex).RLock': { joins: true },
  'sync.(*RWMutex).Unlock': { signals: true },
  'sync.(*RWMutex).RUnlock': { signals: true },
  'sync.(*Cond).Wait': { joins: true },
  'sync.(*Cond).Signal': { signals: true },
  'sync.(*Cond).Broadcast': { signals: true },
  'sync.(*Once).Do': { joins: true },
  'sync.(*Pool).Get': F('any', { pool: 'get' }),
  'sync.(*Pool).Put': { pool: 'put', keeps: [0] },
  'sync.(*Map).Load': F('(any, bool)'),
  'sync.(*Map).Store': { keeps: [0, 1] },
  'sync.(*Map).LoadOrStore': F('(any, bool)', { keeps: [0, 1] }),
  'sync.(*Map).LoadAndDelete': F('(any, bool)'),
  // Buffers: views of reused memory.
  'bytes.(*Buffer).Bytes': F('[]byte', { view: true }),
  'bytes.(*Buffer).String': F('string'),
  'bytes.(*Buffer).Len': F('int'),
  'bytes.(*Buffer).Reset': {},
  'bytes.(*Buffer).Write': F('(int, error)', R(0)),
  'bytes.(*Buffer).WriteString': F('(int, error)'),
  'bytes.(*Buffer).WriteByte': F('error'),
  'bytes.(*Buffer).Next': F('[]byte', { view: true }),
  // The buffer reads its argument until it is written to (then it appends into the spare capacity).
  'bytes.NewBuffer': F('*bytes.Buffer', { keeps: [0], reads: [0] }),
  'bytes.NewBufferString': F('*bytes.Buffer'),
  'bytes.NewReader': F('*bytes.Reader', { keeps: [0] }),
  'bufio.(*Scanner).Bytes': F('[]byte', { view: true }),
  'bufio.(*Scanner).Text': F('string'),
  'bufio.(*Scanner).Scan': F('bool'),
  'bufio.(*Reader).ReadSlice': F('([]byte, error)', { view: true }),
  'bufio.(*Reader).Peek': F('([]byte, error)', { view: true }),
  'bufio.(*Reader).ReadLine': F('([]byte, bool, error)', { view: true }),
  'bufio.(*Reader).ReadBytes': F('([]byte, error)'),
  'bufio.(*Reader).ReadString': F('(string, error)'),
  'bufio.NewScanner': F('*bufio.Scanner'),
  'bufio.NewReader': F('*bufio.Reader'),
  'bufio.NewWriter': F('*bufio.Writer'),
  // Slice arguments written or read.
  'io.ReadFull': F('(int, error)', { writes: [1] }),
  'io.ReadAtLeast': F('(int, error)', { writes: [1] }),
  'io.ReadAll': F('([]byte, error)'),
  'io.Copy': F('(int64, error)'),
  'io.WriteString': F('(int, error)'),
  'crypto/rand.Read': F('(int, error)', { writes: [0] }),
  'encoding/binary.Read': F('error', { writes: [2] }),
  'encoding/binary.PutUvarint': F('int', { writes: [0] }),
  'encoding/binary.PutVarint': F('int', { writes: [0] }),
  'encoding/hex.Decode': F('(int, error)', { writes: [0] }),
  'encoding/hex.Encode': F('int', { writes: [0] }),
  'encoding/hex.EncodeToString': F('string', R(0)),
  'encoding/json.Marshal': F('([]byte, error)'),
  'encoding/json.MarshalIndent': F('([]byte, error)'),
  'encoding/json.Unmarshal': F('error', R(0)),
  'encoding/json.NewEncoder': F('*encoding/json.Encoder'),
  'encoding/json.NewDecoder': F('*encoding/json.Decoder'),
  'sort.Ints': { writes: [0] },
  'sort.Strings': { writes: [0] },
  'sort.Float64s': { writes: [0] },
  'sort.Slice': { writes: [0] },
  'sort.SliceStable': { writes: [0] },
  'sort.Sort': { writes: [0] },
  'sort.Stable': { writes: [0] },
  'bytes.Equal': F('bool', R(0, 1)),
  'bytes.Compare': F('int', R(0, 1)),
  'bytes.Contains': F('bool', R(0, 1)),
  'bytes.HasPrefix': F('bool', R(0, 1)),
  'bytes.HasSuffix': F('bool', R(0, 1)),
  'bytes.Index': F('int', R(0, 1)),
  'bytes.IndexByte': F('int', R(0)),
  'bytes.Clone': F('[]byte', R(0)),
  'bytes.TrimSpace': F('[]byte', { keeps: [0] }),
  'bytes.Split': F('[][]byte', { keeps: [0] }),
  'unicode/utf8.Valid': F('bool', R(0)),
  'unicode/utf8.RuneCount': F('int', R(0)),
  'unicode/utf8.EncodeRune': F('int', { writes: [0] }),
  'hash/crc32.ChecksumIEEE': F('uint32', R(0)),
  'crypto/sha256.Sum256': F('[32]byte', R(0)),
  'crypto/md5.Sum': F('[16]byte', R(0)),
  'reflect.DeepEqual': F('bool', R(0, 1)),
  'os.WriteFile': F('error', R(1)),
  'os.ReadFile': F('([]byte, error)'),
  'os.Open': F('(*os.File, error)'),
  'os.Create': F('(*os.File, error)'),
  'os.Getenv': F('string'),
  // Single results the model types by.
  'fmt.Sprintf': F('string', R(-1)),
  'fmt.Sprint': F('string', R(-1)),
  'fmt.Sprintln': F('string', R(-1)),
  'fmt.Errorf': F('error', R(-1)),
  'fmt.Printf': F('(int, error)', R(-1)),
  'fmt.Println': F('(int, error)', R(-1)),
  'fmt.Print': F('(int, error)', R(-1)),
  'fmt.Fprintf': F('(int, error)', R(-1)),
  'fmt.Fprintln': F('(int, error)', R(-1)),
  'fmt.Append': F('[]byte', { writes: [0] }),
  'fmt.Appendf': F('[]byte', { writes: [0] }),
  'errors.New': F('error'),
  'errors.Is': F('bool'),
  'errors.As': F('bool'),
  'errors.Join': F('error'),
  'strings.Join': F('string'),
  'strings.Split': F('[]string'),
  'strings.Fields': F('[]string'),
  'strings.TrimSpace': F('string'),
  'strings.ToLower': F('string'),
  'strings.ToUpper': F('string'),
  'strings.Replace': F('string'),
  'strings.ReplaceAll': F('string'),
  'strings.TrimPrefix': F('string'),
  'strings.TrimSuffix': F('string'),
  'strings.Repeat': F('string'),
  'strings.Contains': F('bool'),
  'strings.HasPrefix': F('bool'),
  'strings.HasSuffix': F('bool'),
  'strings.Index': F('int'),
  'strings.NewReader': F('*strings.Reader'),
  'strings.(*Builder).String': F('string'),
  'strings.(*Builder).WriteString': F('(int, error)'),
  'strconv.Itoa': F('string'),
  'strconv.Atoi': F('(int, error)'),
  'strconv.FormatInt': F('string'),
  'strconv.ParseInt': F('(int64, error)'),
  'strconv.ParseBool': F('(bool, error)'),
  'strconv.ParseFloat': F('(float64, error)'),
  'strconv.Quote': F('string'),
  'time.Now': F('time.Time'),
  'time.Since': F('time.Duration'),
  'time.Until': F('time.Duration'),
  'time.NewTimer': F('*time.Timer'),
  'time.NewTicker': F('*time.Ticker'),
  'time.After': F('<-chan time.Time'),
  'time.Tick': F('<-chan time.Time'),
  'time.Sleep': {},
  'time.ParseDuration': F('(time.Duration, error)'),
  'time.Unix': F('time.Time'),
  'time.Time.Sub': F('time.Duration'),
  'time.Time.Add': F('time.Time'),
  'time.Time.Unix': F('int64'),
  'time.Time.UnixNano': F('int64'),
  'time.Time.Before': F('bool'),
  'time.Time.After': F('bool'),
  'time.Time.IsZero': F('bool'),
  'time.Time.Format': F('string'),
  'time.Duration.Seconds': F('float64'),
  'time.Duration.String': F('string'),
  'context.Background': F('context.Context'),
  'context.TODO': F('context.Context'),
  'context.WithCancel': F('(context.Context, context.CancelFunc)'),
  'context.WithTimeout': F('(context.Context, context.CancelFunc)'),
  'context.WithDeadline': F('(context.Context, context.CancelFunc)'),
  'context.WithValue': F('context.Context'),
  'net/http.NewRequest': F('(*net/http.Request, error)'),
  'net/http.NewRequestWithContext': F('(*net/http.Request, error)'),
  'net/http.Get': F('(*net/http.Response, error)'),
  'net/http.Post': F('(*net/http.Response, error)'),
  'net/http.NewServeMux': F('*net/http.ServeMux'),
  'net/http.(*Client).Do': F('(*net/http.Response, error)'),
  'net/http.Header.Get': F('string'),
  'net/url.Parse': F('(*net/url.URL, error)'),
  'net/url.Values.Get': F('string'),
  'net.Dial': F('(net.Conn, error)'),
  'net.Listen': F('(net.Listener, error)'),
  // Reads that fill their first argument: io.Reader's contract and the packet variants.
  ...Object.fromEntries(
    [
      ['net.(*UDPConn).ReadFromUDP', '(int, *net.UDPAddr, error)'],
      ['net.(*UDPConn).ReadFromUDPAddrPort', '(int, net/netip.AddrPort, error)'],
      ['net.(*UDPConn).ReadMsgUDP', '(int, int, int, *net.UDPAddr, error)'],
      ['net.(*UDPConn).ReadFrom', '(int, net.Addr, error)'],
      ['net.(*UDPConn).Read', '(int, error)'],
      ['net.(*TCPConn).Read', '(int, error)'],
      ['net.(*UnixConn).Read', '(int, error)'],
      ['net.(*UnixConn).ReadFromUnix', '(int, *net.UnixAddr, error)'],
      ['net.(*IPConn).ReadFromIP', '(int, *net.IPAddr, error)'],
      ['net.Conn.Read', '(int, error)'],
      ['net.PacketConn.ReadFrom', '(int, net.Addr, error)'],
      ['io.Reader.Read', '(int, error)'],
      ['io.ReaderAt.ReadAt', '(int, error)'],
      ['os.(*File).Read', '(int, error)'],
      ['os.(*File).ReadAt', '(int, error)'],
      ['bufio.(*Reader).Read', '(int, error)'],
      ['bytes.(*Reader).Read', '(int, error)'],
      ['strings.(*Reader).Read', '(int, error)'],
    ].map(([key, results]) => [key, F(results, { writes: [0] })]),
  ),
  'log.Printf': R(-1),
  'log.Println': R(-1),
  'log.Fatalf': R(-1),
  'log.New': F('*log.Logger'),
  'sync/atomic.AddInt64': F('int64', { signals: true }),
  'sync/atomic.LoadInt64': F('int64', { joins: true }),
  'sync/atomic.StoreInt64': { signals: true },
  'sync/atomic.AddInt32': F('int32', { signals: true }),
  'sync/atomic.LoadInt32': F('int32', { joins: true }),
  'sync/atomic.StoreInt32': { signals: true },
  'sync/atomic.CompareAndSwapInt32': F('bool', { signals: true }),
  'sync/atomic.CompareAndSwapInt64': F('bool', { signals: true }),
  // Generic types: `$T` is the type argument (see STD_TYPE_PARAMS).
  'sync/atomic.(*Pointer).Load': F('*$T', { joins: true }),
  'sync/atomic.(*Pointer).Store': { signals: true },
  'sync/atomic.(*Pointer).Swap': F('*$T', { signals: true }),
  'sync/atomic.(*Pointer).CompareAndSwap': F('bool', { signals: true }),
};

// The slice-argument lists (stdlib-args.ts) are part of the same table.
for (const [key, pos] of Object.entries(WRITES_SLICE_ARG)) STD_FUNCS[key] = { ...STD_FUNCS[key], writes: [pos] };
for (const key of READS_SLICE_ARGS) STD_FUNCS[key] = { ...STD_FUNCS[key], reads: [-1] };

/** The function or method names (`Name` of `path.Name`, `path.(*T).Name`) of the table's entries whose facts match. */
export function factNames(keep: (key: string, fact: StdFunc) => boolean): string[] {
  return Object.entries(STD_FUNCS)
    .filter(([k, f]) => keep(k, f))
    .map(([k]) => k.slice(k.lastIndexOf('.') + 1));
}

/**
 * What a call of the standard-library function `path.name` does to its slice argument at `pos`:
 * a function that writes one argument only reads the others; listed readers and printing
 * functions read; anything else is 'unknown'.
 */
export function argEffect(path: string, name: string, pos: number): ArgEffect {
  const f = STD_FUNCS[`${path}.${name}`];
  if (f?.writes?.length) return f.writes.includes(pos) || f.writes.includes(-1) ? 'writes' : 'reads';
  if (f?.reads && (f.reads.includes(-1) || f.reads.includes(pos))) return 'reads';
  return formatsArguments(path, name) ? 'reads' : 'unknown';
}

/** Standard-library type names the table knows (`bytes.Buffer`, `time.Duration`). */
export const STD_TYPE_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(STD_TYPES),
  ...Object.keys(STD_FIELDS).map((k) => k.slice(0, k.lastIndexOf('.'))),
  ...Object.keys(STD_FUNCS).flatMap((k) => {
    const m = /^(.*)\.\(\*(\w+)\)\.\w+$/.exec(k) ?? /^(.*?\/?[\w]+)\.([A-Z]\w*)\.\w+$/.exec(k);
    return m ? [`${m[1]}.${m[2]}`] : [];
  }),
  ...['sync.Mutex', 'sync.RWMutex', 'sync.WaitGroup', 'sync.Once', 'sync.Pool', 'sync.Map', 'sync.Cond', 'strings.Builder', 'bytes.Buffer', 'time.Time', 'net/http.Request', 'net/http.Response', 'net/http.Client', 'net/http.Server'],
]);

/** The fact of a function (`path.Name`) or of a method of `path.T` (pointer receiver first). */
export function stdFunc(pkg: string, name: string, recv?: string): StdFunc | undefined {
  if (!recv) return STD_FUNCS[`${pkg}.${name}`];
  return STD_FUNCS[`${pkg}.(*${recv}).${name}`] ?? STD_FUNCS[`${pkg}.${recv}.${name}`];
}
