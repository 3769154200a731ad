/**
 * A package's declarations loaded file by file, as names are asked for: the package scope parses
 * the files that may declare a name (declindex.ts) the first time the name is looked up there, and
 * a type's methods load the files that may declare them. For packages of the module loaded only
 * because another package imports them: a question about `os.File` parses the files of `os` that
 * may declare `File`, not the whole package (and not, through it, every package `os` imports).
 */
import type { GoFile } from '../types.js';
import type { SyntaxNode } from '../mirror.js';
import { addFileDecls } from './decls.js';
import type { FileInfo, PackageDecls } from './decls.js';
import { fileDeclNames } from './declindex.js';
import { Scope, universe } from './objects.js';
import type { Obj } from './objects.js';

interface DeclIndex {
  names: Map<string, GoFile[]>;
  receivers: Map<string, GoFile[]>;
}

export class LazyDecls {
  /** The declarations of the files loaded so far (all of them after `all()`). */
  readonly decls: PackageDecls;
  private readonly infos = new Map<GoFile, FileInfo>();
  private index?: DeclIndex;
  private readonly askedNames = new Set<string>();
  private readonly askedReceivers = new Set<string>();
  private complete = false;
  private order?: Map<GoFile, number>;

  constructor(
    private readonly files: readonly GoFile[],
    private readonly rootOf: (file: GoFile) => SyntaxNode,
    private readonly nameOf: (path: string) => string,
    /** Called once per file as it is loaded, before any of its names is handed out. */
    private readonly onLoad: (info: FileInfo) => void,
  ) {
    this.decls = { scope: new PackageScope(this), files: [], methods: new Map() };
  }

  /** Loads the files that may declare `name` at package level. */
  loadName(name: string): void {
    if (this.complete || this.askedNames.has(name)) return;
    this.askedNames.add(name);
    for (const f of this.declIndex().names.get(name) ?? []) this.file(f);
  }

  /** The methods declared on the type named `base` (loads the files that may declare them). */
  methods(base: string): Obj[] {
    if (!this.complete && !this.askedReceivers.has(base)) {
      this.askedReceivers.add(base);
      const before = this.decls.methods.get(base)?.length ?? 0;
      for (const f of this.declIndex().receivers.get(base) ?? []) this.file(f);
      const list = this.decls.methods.get(base);
      if (list && list.length !== before) this.inFileOrder(list);
    }
    return this.decls.methods.get(base) ?? [];
  }

  /** The info of one file, loading it if need be. */
  file(file: GoFile): FileInfo {
    let info = this.infos.get(file);
    if (!info) {
      info = addFileDecls(this.decls, file, this.rootOf(file), this.nameOf);
      this.infos.set(file, info);
      this.onLoad(info);
    }
    return info;
  }

  /** Every file loaded, in the package's file order. */
  all(): PackageDecls {
    if (!this.complete) {
      for (const f of this.files) this.file(f);
      this.inFileOrder(this.decls.files);
      for (const list of this.decls.methods.values()) this.inFileOrder(list);
      this.complete = true;
    }
    return this.decls;
  }

  /** Sorts file infos or objects as the whole-package model has them: by file, then position. */
  private inFileOrder(list: { file?: GoFile; ident?: SyntaxNode }[]): void {
    this.order ??= new Map(this.files.map((f, i) => [f, i]));
    const order = this.order;
    list.sort((a, b) => order.get(a.file!)! - order.get(b.file!)! || (a.ident?.startIndex ?? 0) - (b.ident?.startIndex ?? 0));
  }

  private declIndex(): DeclIndex {
    if (!this.index) {
      const index: DeclIndex = { names: new Map(), receivers: new Map() };
      const add = (map: Map<string, GoFile[]>, key: string, f: GoFile) => {
        const list = map.get(key);
        if (list) list.push(f);
        else map.set(key, [f]);
      };
      for (const f of this.files) {
        const { names, receivers } = fileDeclNames(f.source);
        for (const n of names) add(index.names, n, f);
        for (const r of receivers) add(index.receivers, r, f);
      }
      this.index = index;
    }
    return this.index;
  }
}

/** A package scope that loads the files declaring a name the first time the name is looked up. */
class PackageScope extends Scope {
  constructor(private readonly loader: LazyDecls) {
    super(universe);
  }

  override own(name: string): Obj | undefined {
    const o = this.names.get(name);
    if (o || name === '_') return o;
    this.loader.loadName(name);
    return this.names.get(name);
  }
}
