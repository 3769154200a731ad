/**
 * Deciding whether one candidate map can be split, and building the split: every reference must
 * classify, every key must have one value type, every typed read must agree with what is stored,
 * and the new names must be free. The result is one finding at the declaration, with a single fix
 * whose edits may span several files of the package.
 */
import type { Context, Finding, GoFile } from '../../src/types.js';
import type { MapCandidate } from './candidates.js';
import { classify, parseInit } from './classify.js';
import type { Init, Use } from './classify.js';
import { declareField, declareVar, rewriteLiteralInit } from './decl.js';
import { Decline, Emit } from './emit.js';
import type { TypedMap } from './emit.js';
import type { GoType } from './gotypes.js';
import { typeWord } from './gotypes.js';
import { staticType } from './infer.js';
import { hasEffects } from './known.js';
import type { Key } from './keys.js';
import { scanRefs, where } from './refs.js';
import { short } from './classify.js';
import type { Ref } from './refs.js';
import { rewriteUse } from './rewrite.js';
import { enclosingTopFunc, isExported } from './symbols.js';
import type { PkgIndex } from './symbols.js';

/** A type as users read it: `time.Duration`, not the canonical `"time".Duration`. */
export function showType(t: GoType): string {
  return t.spelled.replace(/"([^"]*)"\./g, (_, p: string) => `${p.split('/').pop()}.`);
}

function list(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** An exported function whose signature carries interface values (or the map's named type). */
function exportedCarrier(c: MapCandidate, ref: Ref): string | undefined {
  const fn = enclosingTopFunc(ref.expr);
  const name = fn?.childForFieldName('name')?.text;
  if (!fn || !name || !isExported(name)) return undefined;
  const sig = `${fn.childForFieldName('parameters')?.text ?? ''} ${fn.childForFieldName('result')?.text ?? ''}`;
  const carries = /interface\s*\{\s*\}|\bany\b/.test(sig) || (c.namedType !== undefined && new RegExp(`\\b${c.namedType}\\b`).test(sig));
  return carries ? `exported function ${name} carries its untyped values in its signature (${where(ref.file, fn)}); changing it would change the API` : undefined;
}

interface Typed {
  key: Key;
  type: GoType;
  file: number;
  pos: number;
  where: string;
}

/** The soundness checks on writes and reads: the reason to refuse, and whether the code panics today. */
function check(writes: Typed[], reads: Typed[]): { reason: string; panics?: boolean } | undefined {
  const why = checkTypes(writes, reads);
  return typeof why === 'string' ? { reason: why } : why;
}

function checkTypes(writes: Typed[], reads: Typed[]): string | { reason: string; panics: boolean } | undefined {
  if (writes.length === 0) return 'nothing writes to it with a known value type';
  const byKey = new Map<string, Typed[]>();
  for (const w of writes) if ('static' in w.key) byKey.set(w.key.static, [...(byKey.get(w.key.static) ?? []), w]);
  for (const ws of byKey.values()) {
    const types = [...new Set(ws.map((w) => w.type.canon))];
    if (types.length > 1) {
      const b = ws.find((w) => w.type.canon !== ws[0].type.canon)!;
      return `key ${ws[0].key.text} is written as ${showType(ws[0].type)} (${ws[0].where}) and as ${showType(b.type)} (${b.where})`;
    }
  }
  const all = new Set([...writes, ...reads].map((x) => x.type.canon));
  const dynamic = [...writes, ...reads].find((x) => 'dynamic' in x.key);
  if (dynamic && all.size > 1) return `the key ${dynamic.key.text} (${dynamic.where}) is not a constant, so its value type is unknown`;
  const dynamicWrite = writes.some((w) => 'dynamic' in w.key);
  for (const r of reads) {
    if (!('static' in r.key)) continue;
    const ws = byKey.get(r.key.static);
    if (!ws && !dynamicWrite) return `key ${r.key.text} is read (${r.where}) but never written`;
    const stored = ws ? ws[0].type : writes[0].type;
    if (stored.canon !== r.type.canon) {
      const reason = `key ${r.key.text} holds ${showType(stored)} but is asserted as ${showType(r.type)} (${r.where}), which panics today and would read a zero value after a split`;
      return ws ? { reason, panics: true } : reason; // a key written only dynamically may hold anything
    }
  }
  return undefined;
}

const PRINTS = /^(fmt|log|slog)\.\w+$|\.(Print|Printf|Println|Sprint|Sprintf|Error|Errorf|Fatal|Fatalf|Log|Logf|Info|Debug|Warn)$|^print(ln)?$|^reflect\.(?!DeepEqual$)\w+$/;

/**
 * A struct holding the split field prints (and reflects) differently afterwards: look for values of
 * the struct passed to printing or reflection. Only finds values whose type gomend can infer.
 * TODO: values of unknown type (results of method calls, elements of containers) are not checked.
 */
function printsStruct(idx: PkgIndex, c: MapCandidate): string | undefined {
  const name = c.structName;
  if (!name) return undefined;
  for (const file of idx.pkg.files) {
    if (!file.source.includes(name)) continue;
    for (const call of file.root.descendantsOfType('call_expression')) {
      const fn = call?.childForFieldName('function')?.text ?? '';
      if (!call || !PRINTS.test(fn)) continue;
      for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
        const t = arg && staticType(idx, file, arg);
        if (t && (t.canon === name || t.canon === `*${name}`)) return `a ${name} value is printed or reflected on whole by ${fn} (${where(file, call)})`;
      }
    }
  }
  return undefined;
}

/**
 * Values of the struct that reach other packages can be printed or reflected on there, where
 * gomend cannot look: the struct type is exported, or an exported function, method or variable
 * of the package mentions it.
 */
function structEscapes(idx: PkgIndex, c: MapCandidate): string | undefined {
  const name = c.structName;
  if (!name) return undefined;
  if (isExported(name)) return `its struct ${name} is exported, so other packages may print or reflect on it whole`;
  const word = new RegExp(`\\b${name}\\b`);
  for (const file of idx.pkg.files) {
    if (!word.test(file.source)) continue;
    for (const d of file.root.namedChildren) {
      if (!d) continue;
      if (d.type === 'function_declaration' || d.type === 'method_declaration') {
        const fn = d.childForFieldName('name')?.text ?? '';
        const sig = `${d.childForFieldName('parameters')?.text ?? ''} ${d.childForFieldName('result')?.text ?? ''}`;
        if (isExported(fn) && word.test(sig)) return `exported function ${fn} (${where(file, d)}) hands ${name} values to other packages`;
      }
      if (d.type === 'var_declaration') {
        for (const spec of d.descendantsOfType('var_spec')) {
          const names = spec?.childrenForFieldName('name').map((n) => n?.text ?? '') ?? [];
          if (spec && names.some(isExported) && word.test(spec.text)) return `exported variable ${names.find(isExported)} (${where(file, spec)}) hands ${name} values to other packages`;
        }
      }
    }
  }
  return undefined;
}

/**
 * Splitting a literal regroups its entries by type; entries whose evaluation has effects must keep
 * their relative order.
 */
function orderProblem(idx: PkgIndex, init: Init, maps: TypedMap[]): string | undefined {
  let last = -1;
  for (const x of init.entries) {
    if (!hasEffects(idx, init.file, x.node)) continue;
    const i = maps.findIndex((m) => m.type.canon === x.type.canon);
    if (i < last) return `splitting the literal at ${where(init.file, init.node)} would evaluate ${short(x.node.text)} out of order`;
    last = i;
  }
  return undefined;
}

const CONSTRAINED = /_(aix|android|darwin|dragonfly|freebsd|hurd|illumos|ios|js|linux|netbsd|openbsd|plan9|solaris|wasip1|windows|zos|386|amd64|arm|arm64|loong64|mips|mipsle|mips64|mips64le|ppc64|ppc64le|riscv64|s390x|wasm)(_test)?\.go$/;

/** True when a file is not compiled in every build its package is (tests, build constraints). */
function partial(file: GoFile): boolean {
  return file.isTest || CONSTRAINED.test(file.path) || /^\/\/(go:build|\s*\+build)\s/m.test(file.source.slice(0, file.source.search(/^package\s/m) >>> 0));
}

/**
 * The typed maps are declared where the map was; a value type declared in a test file or a file
 * with build constraints would not exist in every build of that declaration.
 */
function typeScopeProblem(idx: PkgIndex, c: MapCandidate, types: GoType[]): string | undefined {
  for (const t of types) {
    const names = t.canon.replace(/"[^"]*"\.\w+/g, '').match(/[A-Za-z_]\w*/g) ?? [];
    for (const n of names) {
      const d = idx.top.get(n)?.[0];
      if (!d || d.kind !== 'type' || d.file === c.file) continue;
      if (partial(d.file) && !partial(c.file)) return `its value type ${n} is declared in ${d.file.path.split('/').pop()}, which not every build compiles`;
    }
  }
  return undefined;
}

/** Analyses one candidate: a finding with a fix, or the reason it is left alone. */
export function analyse(idx: PkgIndex, ctx: Context, c: MapCandidate): Finding {
  const subject = `${c.kind === 'field' ? `${c.structName}.${c.name}` : c.name} (${c.label})`;
  const at = { start: c.ident.startIndex, end: c.ident.endIndex };
  // A candidate that does not qualify is an explanation (shown with --explain), not a hazard.
  const refuse = (reason: string): Finding => ({ ...at, message: `${subject} is not split into typed maps: ${reason}`, note: true });
  if (isExported(c.name)) return refuse(c.kind === 'field' ? 'the field is exported' : 'it is exported');
  if (c.problem) return refuse(c.problem);
  const files = idx.pkg.files;
  const broken = files.find((f) => f.root.hasError);
  if (broken) return refuse(`${broken.path.split('/').pop()} has syntax errors, so not every use can be seen`);
  if (files.some((f) => f.source.includes('go:linkname') && new RegExp(`//go:linkname\\s+\\S*\\b${c.name}\\b`).test(f.source))) return refuse('it is named in a //go:linkname directive');
  const scan = scanRefs(idx, c);
  if (scan.problem) return refuse(scan.problem);
  const printed = c.kind === 'field' ? structEscapes(idx, c) ?? printsStruct(idx, c) : undefined;
  if (printed) return refuse(printed);

  const uses: Use[] = [];
  for (const ref of scan.refs) {
    const u = classify(idx, ref);
    if (typeof u === 'string') return refuse(exportedCarrier(c, ref) ?? u);
    uses.push(u);
  }
  const initOf = (r: Init | string): Init => {
    if (typeof r === 'string') throw new Decline(r);
    return r;
  };
  try {
    const value = c.kind === 'var' ? c.decl.childForFieldName('value')?.namedChildren[0] : undefined;
    const declInit = value ? initOf(parseInit(idx, c.file, value)) : undefined;
    const literalInits = scan.inits.map((li) => ({ ...li, init: initOf(parseInit(idx, li.file, li.elem.childForFieldName('value')!.namedChildren[0]!)) }));

    const fileIndex = (f: (typeof files)[number]): number => files.indexOf(f);
    const writes: Typed[] = [];
    const reads: Typed[] = [];
    const addInit = (init: Init): void => {
      for (const x of init.entries) writes.push({ key: x.key, type: x.type, file: fileIndex(init.file), pos: x.node.startIndex, where: where(init.file, x.node) });
    };
    if (declInit) addInit(declInit);
    literalInits.forEach((li) => addInit(li.init));
    for (const u of uses) {
      if (u.kind === 'reset') addInit(u.init);
      const t = { file: fileIndex(u.ref.file), pos: u.ref.expr.startIndex, where: where(u.ref.file, u.ref.expr) };
      if (u.kind === 'write') writes.push({ key: u.key, type: u.type, ...t });
      if (u.kind === 'read') reads.push({ key: u.key, type: u.type, ...t });
    }
    const problem = check(writes, reads);
    // An assertion that contradicts every write panics today: a real bug, reported as such.
    if (problem) return problem.panics ? { ...at, message: `${subject} is not split into typed maps: ${problem.reason}` } : refuse(problem.reason);

    writes.sort((a, b) => a.file - b.file || a.pos - b.pos);
    const types: GoType[] = [];
    for (const w of writes) if (!types.some((t) => t.canon === w.type.canon)) types.push(w.type);
    const maps: TypedMap[] = types.map((type) => ({ type, name: `${c.name}${typeWord(type)}` }));
    for (const m of maps) {
      if (maps.filter((x) => x.name === m.name).length > 1) return refuse(`two of its value types would both be named ${m.name}`);
      if (files.some((f) => new RegExp(`\\b${m.name}\\b`).test(f.source))) return refuse(`the name ${m.name} is already used in the package`);
    }

    const scope = typeScopeProblem(idx, c, types);
    if (scope) return refuse(scope);
    const inits = [declInit, ...literalInits.map((li) => li.init), ...uses.map((u) => (u.kind === 'reset' ? u.init : undefined))];
    for (const init of inits) {
      const p = init && maps.length > 1 ? orderProblem(idx, init, maps) : undefined;
      if (p) return refuse(p);
    }
    const e = new Emit(idx, ctx, c, maps);
    if (c.kind === 'var') declareVar(e, declInit);
    else declareField(e);
    for (const li of literalInits) rewriteLiteralInit(e, li.file, li.elem, li.init);
    for (const u of uses) rewriteUse(e, u);
    const edits = e.finish();
    const shown = types.map(showType);
    const message = types.length === 1
      ? `${subject} holds only ${shown[0]} values behind type assertions`
      : `${subject} mixes ${list(shown)} values behind type assertions`;
    const names = maps.map((m) => m.name);
    const fix = { message: types.length === 1 ? `Replace ${c.name} with ${names[0]}` : `Split ${c.name} into ${list(names)}`, edits };
    return { ...at, message, fix };
  } catch (err) {
    if (err instanceof Decline) return refuse(err.message);
    throw err;
  }
}
