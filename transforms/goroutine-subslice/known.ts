/**
 * What well-known standard-library calls do with a slice argument.
 *
 * The transform must know whether a goroutine writes through the slice it was given (then the
 * sharing is intended and a copy would break the program) and whether the parent writes into a
 * buffer again (then a copy is needed). Calls into the package itself are followed; calls out of
 * it are judged by these lists, and anything not listed counts as "cannot tell".
 */

/** Import path + function → argument positions written (-1: every argument). */
const WRITING_FUNCS: Record<string, number> = {
  'sort.Ints': 0, 'sort.Float64s': 0, 'sort.Strings': 0, 'sort.Slice': 0, 'sort.SliceStable': 0, 'sort.Sort': 0, 'sort.Stable': 0,
  'io.ReadFull': 1, 'io.ReadAtLeast': 1,
  'encoding/binary.Read': 2, 'encoding/binary.PutUvarint': 0, 'encoding/binary.PutVarint': 0,
  'encoding/binary.Append': 0, 'encoding/binary.AppendUvarint': 0, 'encoding/binary.AppendVarint': 0, 'encoding/binary.Encode': 0,
  'encoding/hex.Decode': 0, 'encoding/hex.Encode': 0, 'encoding/hex.AppendEncode': 0, 'encoding/hex.AppendDecode': 0,
  'crypto/rand.Read': 0, 'math/rand.Read': 0,
  'unicode/utf8.EncodeRune': 0, 'unicode/utf8.AppendRune': 0,
  'fmt.Append': 0, 'fmt.Appendf': 0, 'fmt.Appendln': 0,
  'bytes.NewBuffer': 0,
};

const SLICES_WRITERS = ['Sort', 'SortFunc', 'SortStableFunc', 'Reverse', 'Delete', 'DeleteFunc', 'Insert', 'Compact', 'CompactFunc', 'Replace', 'Grow'];
for (const name of SLICES_WRITERS) {
  WRITING_FUNCS[`slices.${name}`] = 0;
  WRITING_FUNCS[`golang.org/x/exp/slices.${name}`] = 0;
}

/** Import path + function that only read their slice arguments and keep no reference. */
const READING_FUNCS = new Set<string>([
  ...['Equal', 'Compare', 'Contains', 'ContainsAny', 'ContainsRune', 'ContainsFunc', 'Count', 'HasPrefix', 'HasSuffix', 'Index', 'IndexAny', 'IndexByte', 'IndexFunc', 'IndexRune', 'LastIndex', 'LastIndexAny', 'LastIndexByte', 'LastIndexFunc', 'EqualFold', 'Clone', 'ToUpper', 'ToLower', 'ToTitle', 'Runes', 'Repeat', 'NewReader'].map((f) => `bytes.${f}`),
  ...['Contains', 'ContainsFunc', 'Index', 'IndexFunc', 'Equal', 'EqualFunc', 'Compare', 'CompareFunc', 'Clone', 'Max', 'MaxFunc', 'Min', 'MinFunc', 'BinarySearch', 'BinarySearchFunc', 'IsSorted', 'IsSortedFunc'].flatMap((f) => [`slices.${f}`, `golang.org/x/exp/slices.${f}`]),
  ...['Valid', 'RuneCount', 'DecodeRune', 'DecodeLastRune', 'FullRune'].map((f) => `unicode/utf8.${f}`),
  'encoding/json.Unmarshal', 'encoding/json.Valid', 'encoding/hex.EncodeToString', 'encoding/hex.Dump',
  'hash/crc32.ChecksumIEEE', 'hash/crc32.Checksum', 'hash/crc32.Update', 'hash/adler32.Checksum', 'hash/crc64.Checksum',
  'crypto/sha1.Sum', 'crypto/sha256.Sum256', 'crypto/sha256.Sum224', 'crypto/sha512.Sum512', 'crypto/md5.Sum',
  'reflect.DeepEqual', 'os.WriteFile', 'sort.SearchInts', 'sort.SearchStrings', 'sort.SearchFloat64s', 'sort.IntsAreSorted',
  'sort.StringsAreSorted', 'sort.Float64sAreSorted', 'strconv.Quote',
]);

/** Packages whose every function only reads its arguments (printing, logging). */
const READING_PACKAGES = new Set(['fmt', 'log', 'log/slog']);

/** Methods that write into a slice argument, whatever the receiver (io.Reader and friends). */
const WRITING_METHOD = /^(Read|ReadAt|ReadFull|ReadAtLeast|ReadFrom\w*|ReadMsg\w*|Decode|XORKeyStream|CryptBlocks|Encrypt|Decrypt|Seal|Open|Sum|Put\w*|Append\w*|Encode|Fill)$/;

/**
 * Methods that only read a slice argument whatever the receiver: io.Writer's contract says Write
 * must not modify the slice data, even temporarily, and must not retain it (net.PacketConn's
 * WriteTo and the UDP variants send it); printing and logging methods format their arguments.
 */
const READING_METHOD = /^(Write|WriteAt|WriteTo\w*|WriteMsg\w*|Print|Printf|Println|Log|Logf|Error|Errorf|Fatal|Fatalf|Info|Infof|Warn|Warnf|Debug|Debugf|EncodeToString)$/;

export type CallEffect = 'writes' | 'reads' | 'unknown';

/** What a call of the standard-library function `path.name` does to its argument at `pos`. */
export function stdFuncEffect(path: string, name: string, pos: number): CallEffect {
  const key = `${path}.${name}`;
  const written = WRITING_FUNCS[key];
  if (written !== undefined) return written === -1 || written === pos ? 'writes' : 'reads';
  if (READING_FUNCS.has(key)) return 'reads';
  if (READING_PACKAGES.has(path) && !name.startsWith('Append') && !name.startsWith('Sscan') && !name.startsWith('Fscan') && !name.startsWith('Scan')) return 'reads';
  return 'unknown';
}

/** What a method call with an unresolved receiver does to its argument. */
export function methodEffect(name: string, pos: number): CallEffect {
  if (/^Read/.test(name) && WRITING_METHOD.test(name)) return 'writes';
  if (WRITING_METHOD.test(name)) return pos === 0 ? 'writes' : 'unknown';
  if (READING_METHOD.test(name)) return 'reads';
  return 'unknown';
}

/** Builtins and what they do to the argument at `pos` (spread arguments are reads). */
export function builtinEffect(name: string, pos: number): CallEffect | undefined {
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

/** Calls that order the parent after the goroutine: waits, receives, locks, atomic loads. */
export const JOIN_METHODS = new Set(['Wait', 'Lock', 'RLock']);
/** Calls by which the parent may signal a goroutine that data is ready. */
export const SIGNAL_METHODS = new Set(['Unlock', 'RUnlock', 'Done', 'Signal', 'Broadcast', 'Store', 'Swap', 'CompareAndSwap']);
