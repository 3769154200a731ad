/**
 * What standard-library calls do with their slice arguments: the lists behind `STD_FUNCS`'s
 * `writes`/`reads` (merged into it by stdlib.ts), the rules for packages that only format their
 * arguments, and what methods do by their name whatever the receiver (io.Reader's and io.Writer's
 * contracts). Calls into the package itself are followed by the analyses; calls out of it are
 * judged by these lists, and anything not listed counts as "cannot tell".
 */

/** Import path + function → the argument position written. */
export const WRITES_SLICE_ARG: Record<string, number> = {
  'sort.Ints': 0, 'sort.Float64s': 0, 'sort.Strings': 0, 'sort.Slice': 0, 'sort.SliceStable': 0, 'sort.Sort': 0, 'sort.Stable': 0,
  'io.ReadFull': 1, 'io.ReadAtLeast': 1,
  'encoding/binary.Read': 2, 'encoding/binary.PutUvarint': 0, 'encoding/binary.PutVarint': 0,
  'encoding/binary.Append': 0, 'encoding/binary.AppendUvarint': 0, 'encoding/binary.AppendVarint': 0, 'encoding/binary.Encode': 0,
  'encoding/hex.Decode': 0, 'encoding/hex.Encode': 0, 'encoding/hex.AppendEncode': 0, 'encoding/hex.AppendDecode': 0,
  'crypto/rand.Read': 0, 'math/rand.Read': 0,
  // System calls that fill their buffer argument (after the descriptor).
  ...Object.fromEntries(
    ['Read', 'Pread', 'Recvfrom', 'Recvmsg', 'Getdents', 'ReadDirent'].flatMap((f) => [
      [`syscall.${f}`, 1],
      [`golang.org/x/sys/unix.${f}`, 1],
    ]),
  ),
  'unicode/utf8.EncodeRune': 0, 'unicode/utf8.AppendRune': 0,
  'fmt.Append': 0, 'fmt.Appendf': 0, 'fmt.Appendln': 0,
  ...Object.fromEntries(
    ['Sort', 'SortFunc', 'SortStableFunc', 'Reverse', 'Delete', 'DeleteFunc', 'Insert', 'Compact', 'CompactFunc', 'Replace', 'Grow'].flatMap((f) => [
      [`slices.${f}`, 0],
      [`golang.org/x/exp/slices.${f}`, 0],
    ]),
  ),
};

/** Import path + function that only read their slice arguments and keep no reference. */
export const READS_SLICE_ARGS: readonly string[] = [
  ...['Equal', 'Compare', 'Contains', 'ContainsAny', 'ContainsRune', 'ContainsFunc', 'Count', 'HasPrefix', 'HasSuffix', 'Index', 'IndexAny', 'IndexByte', 'IndexFunc', 'IndexRune', 'LastIndex', 'LastIndexAny', 'LastIndexByte', 'LastIndexFunc', 'EqualFold', 'Clone', 'ToUpper', 'ToLower', 'ToTitle', 'Runes', 'Repeat', 'NewReader'].map((f) => `bytes.${f}`),
  ...['Contains', 'ContainsFunc', 'Index', 'IndexFunc', 'Equal', 'EqualFunc', 'Compare', 'CompareFunc', 'Clone', 'Max', 'MaxFunc', 'Min', 'MinFunc', 'BinarySearch', 'BinarySearchFunc', 'IsSorted', 'IsSortedFunc'].flatMap((f) => [`slices.${f}`, `golang.org/x/exp/slices.${f}`]),
  ...['Valid', 'RuneCount', 'DecodeRune', 'DecodeLastRune', 'FullRune'].map((f) => `unicode/utf8.${f}`),
  'encoding/json.Unmarshal', 'encoding/json.Valid', 'encoding/hex.EncodeToString', 'encoding/hex.Dump',
  'hash/crc32.ChecksumIEEE', 'hash/crc32.Checksum', 'hash/crc32.Update', 'hash/adler32.Checksum', 'hash/crc64.Checksum',
  'crypto/sha1.Sum', 'crypto/sha256.Sum256', 'crypto/sha256.Sum224', 'crypto/sha512.Sum512', 'crypto/md5.Sum',
  'reflect.DeepEqual', 'os.WriteFile', 'sort.SearchInts', 'sort.SearchStrings', 'sort.SearchFloat64s', 'sort.IntsAreSorted',
  'sort.StringsAreSorted', 'sort.Float64sAreSorted', 'strconv.Quote',
];

/** Packages whose every function only reads its arguments (printing, logging), but for appends and scans. */
const READING_PACKAGES = new Set(['fmt', 'log', 'log/slog']);

/** True when `path.name` is a printing or logging function, which only reads its arguments. */
export function formatsArguments(path: string, name: string): boolean {
  return READING_PACKAGES.has(path) && !name.startsWith('Append') && !name.startsWith('Sscan') && !name.startsWith('Fscan') && !name.startsWith('Scan');
}

export type ArgEffect = 'writes' | 'reads' | 'unknown';

/** Methods that write into a slice argument, whatever the receiver (io.Reader and friends). */
const WRITING_METHOD = /^(Read|ReadAt|ReadFull|ReadAtLeast|ReadFrom\w*|ReadMsg\w*|Decode|XORKeyStream|CryptBlocks|Encrypt|Decrypt|Seal|Open|Sum|Put\w*|Append\w*|Encode|Fill)$/;

/**
 * Methods that only read a slice argument whatever the receiver: io.Writer's contract says Write
 * must not modify the slice data, even temporarily, and must not retain it (net.PacketConn's
 * WriteTo and the UDP variants send it); printing and logging methods format their arguments.
 */
const READING_METHOD = /^(Write|WriteAt|WriteTo\w*|WriteMsg\w*|Print|Printf|Println|Log|Logf|Error|Errorf|Fatal|Fatalf|Info|Infof|Warn|Warnf|Debug|Debugf|EncodeToString)$/;

/** What a method call with an unresolved receiver does to its argument at `pos`, by the method's name. */
export function methodArgEffect(name: string, pos: number): ArgEffect {
  if (/^Read/.test(name) && WRITING_METHOD.test(name)) return 'writes';
  if (WRITING_METHOD.test(name)) return pos === 0 ? 'writes' : 'unknown';
  if (READING_METHOD.test(name)) return 'reads';
  return 'unknown';
}

/** Built-ins and what they do to the argument at `pos` (spread arguments are reads). */
export function builtinArgEffect(name: string, pos: number): ArgEffect | undefined {
  switch (name) {
    case 'len':
    case 'cap':
    case 'string':
    case 'print':
    case 'println':
      return 'reads';
    case 'copy':
      return pos === 0 ? 'writes' : 'reads';
    case 'append':
    case 'clear':
      return pos === 0 ? 'writes' : 'reads';
    default:
      return undefined;
  }
}

/** Method names that order the caller after other goroutines: waits, locks. */
export const JOIN_METHODS: ReadonlySet<string> = new Set(['Wait', 'Lock', 'RLock']);
/** Method names by which a goroutine may signal another that data is ready. */
export const SIGNAL_METHODS: ReadonlySet<string> = new Set(['Unlock', 'RUnlock', 'Done', 'Signal', 'Broadcast', 'Store', 'Swap', 'CompareAndSwap']);
