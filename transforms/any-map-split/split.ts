/**
 * Deciding whether one candidate map can be split, and building the split: every reference must
 * classify, every key must have one value type, every typed read must agree with what is stored,
 * and the new names must be free. The result is one finding at the declaration, with a single fix
 * whose edits may span several files of the package.
 */
import type { Model, SyntaxNode } from '../../src/go/index.js';
import { field, fields, kids, namedOf, topLevelDecl } from '../../src/go/index.js';
import type { Finding, GoFile, Pass } from '../../src/types.js';
import type { MapCandidate } from './candidates.js';
import { specsOf } from './candidates.js';
import { classify, parseInit } from './classify.js';
import { short } from '../../src/text.js';
import type { Init, Key, Use } from './classify.js';
import { declareField, declareVar, rewriteLiteralInit } from './decl.js';
import { Decline, Emit } from './emit.js';
import type { TypedMap } from './emit.js';
import { scanRefs, where } from './refs.js';
import type { Ref } from './refs.js';
import { rewriteUse } from './rewrite.js';
import { showType, typeWord } from './types.js';
import type { GoType } from './types.js';

function list(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** True when the identifier is exported (upper-case first letter). */
function isExported(name: string): boolean {
  return /^\p{Lu}/u.test(name);
}

/** An exported function whose signature carries interface values (or the map's named type). */
function exportedCarrier(c: MapCandidate, ref: Ref): string | undefined {
  const top = topLevelDecl(ref.expr);
  const fn = top?.type === 'function_declaration' || top?.type === 'method_declaration' ? top : undefined;
  const name = fn && field(fn, 'name')?.text;
  if (!fn || !name || !isExported(name)) return undefined;
  const sig = `${field(fn, 'parameters')?.text ?? ''} ${field(fn, 'result')?.text ?? ''}`;
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

/** The soundness checks on writes and reads. */
function check(writes: Typed[], reads: Typed[]): void {
  if (writes.length === 0) throw new Decline('nothing writes to it with a known value type');
  const byKey = new Map<string, Typed[]>();
  for (const w of writes) if ('static' in w.key) byKey.set(w.key.static, [...(byKey.get(w.key.static) ?? []), w]);
  for (const ws of byKey.values()) {
    const b = ws.find((w) => w.type.canon !== ws[0].type.canon);
    if (b) throw new Decline(`key ${ws[0].key.text} is written as ${showType(ws[0].type)} (${ws[0].where}) and as ${showType(b.type)} (${b.where})`);
  }
  const all = new Set([...writes, ...reads].map((x) => x.type.canon));
  const dynamic = [...writes, ...reads].find((x) => 'dynamic' in x.key);
  if (dynamic && all.size > 1) throw new Decline(`the key ${dynamic.key.text} (${dynamic.where}) is not a constant, so its value type is unknown`);
  const dynamicWrite = writes.some((w) => 'dynamic' in w.key);
  for (const r of reads) {
    if (!('static' in r.key)) continue;
    const ws = byKey.get(r.key.static);
    if (!ws && !dynamicWrite) throw new Decline(`key ${r.key.text} is read (${r.where}) but never written`);
    const stored = ws ? ws[0].type : writes[0].type;
    if (stored.canon !== r.type.canon) {
      // A key written only dynamically may hold anything; one whose every write disagrees panics today.
      throw new Decline(`key ${r.key.text} holds ${showType(stored)} but is asserted as ${showType(r.type)} (${r.where}), which panics today and would read a zero value after a split`, !!ws);
    }
  }
}

const PRINTS = /^(fmt|log|slog)\.\w+$|\.(Print|Printf|Println|Sprint|Sprintf|Error|Errorf|Fatal|Fatalf|Log|Logf|Info|Debug|Warn)$|^print(ln)?$|^reflect\.(?!DeepEqual$)\w+$/;

/**
 * A struct holding the split field prints (and reflects) differently afterwards: look for values of
 * the struct passed to printing or reflection. Only finds values whose type the model knows.
 * TODO: values of unknown type are not checked.
 */
function printsStruct(model: Model, c: MapCandidate): void {
  const struct = model.packageObject(c.structName ?? '')?.ident;
  if (!struct) return;
  for (const { file, root } of model.decls.files) {
    if (!file.source.includes(c.structName!)) continue;
    for (const call of root.descendantsOfType('call_expression')) {
      const fn = field(call, 'function')?.text ?? '';
      if (!PRINTS.test(fn)) continue;
      for (const arg of kids(field(call, 'arguments'))) {
        if (namedOf(model.typeOf(arg))?.node === struct) throw new Decline(`a ${c.structName} value is printed or reflected on whole by ${fn} (${where(file, call)})`);
      }
    }
  }
}

/**
 * Values of the struct that reach other packages can be printed or reflected on there, where
 * gomend cannot look: the struct type is exported, or an exported function, method or variable
 * of the package mentions it.
 */
function structEscapes(model: Model, c: MapCandidate): void {
  const name = c.structName!;
  if (isExported(name)) throw new Decline(`its struct ${name} is exported, so other packages may print or reflect on it whole`);
  const word = new RegExp(`\\b${name}\\b`);
  for (const { file, root } of model.decls.files) {
    if (!word.test(file.source)) continue;
    for (const d of kids(root)) {
      if (d.type === 'function_declaration' || d.type === 'method_declaration') {
        const fn = field(d, 'name')?.text ?? '';
        const sig = `${field(d, 'parameters')?.text ?? ''} ${field(d, 'result')?.text ?? ''}`;
        if (isExported(fn) && word.test(sig)) throw new Decline(`exported function ${fn} (${where(file, d)}) hands ${name} values to other packages`);
      }
      if (d.type !== 'var_declaration') continue;
      for (const spec of specsOf(d)) {
        const exported = fields(spec, 'name').find((n) => isExported(n.text));
        if (exported && word.test(spec.text)) throw new Decline(`exported variable ${exported.text} (${where(file, spec)}) hands ${name} values to other packages`);
      }
    }
  }
}

/** Splitting a literal regroups its entries by type; entries with effects must keep their order. */
function orderProblem(model: Model, init: Init, maps: TypedMap[]): void {
  let last = -1;
  for (const x of init.entries) {
    if (!model.hasSideEffects(x.node)) continue;
    const i = maps.findIndex((m) => m.type.canon === x.type.canon);
    if (i < last) throw new Decline(`splitting the literal at ${where(init.file, init.node)} would evaluate ${short(x.node.text)} out of order`);
    last = i;
  }
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
function typeScopeProblem(model: Model, c: MapCandidate, types: GoType[]): void {
  for (const t of types) {
    for (const n of t.canon.replace(/"[^"]*"\.\w+/g, '').match(/[A-Za-z_]\w*/g) ?? []) {
      const o = model.packageObject(n);
      if (o?.kind !== 'type' || !o.file || o.file === c.file) continue;
      if (partial(o.file) && !partial(c.file)) throw new Decline(`its value type ${n} is declared in ${o.file.path.split('/').pop()}, which not every build compiles`);
    }
  }
}

/** Analyses one candidate: a finding with a fix, or the reason it is left alone. */
export function analyse(model: Model, pass: Pass, c: MapCandidate): Finding {
  const subject = `${c.kind === 'field' ? `${c.structName}.${c.name}` : c.name} (${c.label})`;
  const at = { start: c.ident.startIndex, end: c.ident.endIndex };
  try {
    return { ...at, ...split(model, pass, c) };
  } catch (err) {
    if (!(err instanceof Decline)) throw err;
    // A candidate that does not qualify is an explanation (shown with --explain), not a hazard;
    // an assertion that contradicts every write panics today: a real bug, reported as such.
    return { ...at, message: `${subject} is not split into typed maps: ${err.message}`, ...(err.panics ? {} : { note: true }) };
  }

  function split(model: Model, pass: Pass, c: MapCandidate): Pick<Finding, 'message' | 'fix'> {
    if (isExported(c.name)) throw new Decline(c.kind === 'field' ? 'the field is exported' : 'it is exported');
    if (c.problem) throw new Decline(c.problem);
    const files = pass.files;
    const broken = files.find((f) => f.root.hasError);
    if (broken) throw new Decline(`${broken.path.split('/').pop()} has syntax errors, so not every use can be seen`);
    if (files.some((f) => f.source.includes('go:linkname') && new RegExp(`//go:linkname\\s+\\S*\\b${c.name}\\b`).test(f.source))) throw new Decline('it is named in a //go:linkname directive');
    const scan = scanRefs(model, c);
    if (c.kind === 'field') {
      structEscapes(model, c);
      printsStruct(model, c);
    }
    const uses: Use[] = scan.refs.map((ref) => {
      try {
        return classify(model, ref);
      } catch (err) {
        const carrier = err instanceof Decline ? exportedCarrier(c, ref) : undefined;
        throw carrier ? new Decline(carrier) : err;
      }
    });
    const value = c.kind === 'var' ? kids(field(c.decl, 'value'))[0] : undefined;
    const declInit = value ? parseInit(model, c.file, value) : undefined;
    const literalInits = scan.inits.map((li) => ({ ...li, init: parseInit(model, li.file, kids(kids(li.elem)[1])[0]) }));

    const writes: Typed[] = [];
    const reads: Typed[] = [];
    const typed = (key: Key, type: GoType, file: GoFile, n: SyntaxNode): Typed => ({ key, type, file: files.indexOf(file), pos: n.startIndex, where: where(file, n) });
    const addInit = (init: Init): void => {
      for (const x of init.entries) writes.push(typed(x.key, x.type, init.file, x.node));
    };
    if (declInit) addInit(declInit);
    literalInits.forEach((li) => addInit(li.init));
    for (const u of uses) {
      if (u.kind === 'reset') addInit(u.init);
      if (u.kind === 'write') writes.push(typed(u.key, u.type, u.ref.file, u.ref.expr));
      if (u.kind === 'read') reads.push(typed(u.key, u.type, u.ref.file, u.ref.expr));
    }
    check(writes, reads);

    writes.sort((a, b) => a.file - b.file || a.pos - b.pos);
    const types: GoType[] = [];
    for (const w of writes) if (!types.some((t) => t.canon === w.type.canon)) types.push(w.type);
    const maps: TypedMap[] = types.map((type) => ({ type, name: `${c.name}${typeWord(type)}` }));
    for (const m of maps) {
      if (maps.filter((x) => x.name === m.name).length > 1) throw new Decline(`two of its value types would both be named ${m.name}`);
      if (files.some((f) => new RegExp(`\\b${m.name}\\b`).test(f.source))) throw new Decline(`the name ${m.name} is already used in the package`);
    }
    typeScopeProblem(model, c, types);
    const inits = [declInit, ...literalInits.map((li) => li.init), ...uses.map((u) => (u.kind === 'reset' ? u.init : undefined))];
    if (maps.length > 1) for (const init of inits) if (init) orderProblem(model, init, maps);

    const e = new Emit(model, pass, c, maps);
    if (c.kind === 'var') declareVar(e, declInit);
    else declareField(e);
    for (const li of literalInits) rewriteLiteralInit(e, li.file, li.elem, li.init);
    for (const u of uses) rewriteUse(e, u);
    const edits = e.finish();
    const shown = types.map(showType);
    const names = maps.map((m) => m.name);
    return {
      message: types.length === 1 ? `${subject} holds only ${shown[0]} values behind type assertions` : `${subject} mixes ${list(shown)} values behind type assertions`,
      fix: { message: types.length === 1 ? `Replace ${c.name} with ${names[0]}` : `Split ${c.name} into ${list(names)}`, edits },
    };
  }
}
