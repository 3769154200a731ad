/** The shared model of Go code: see model.ts. */
export { Model, newModel } from './model.js';
export type { ModelOptions } from './model.js';
export type { Obj, ObjKind } from './objects.js';
export { Scope, universe, PREDECLARED_TYPES, BUILTIN_FUNCS } from './objects.js';
export type { FileInfo, ImportInfo, PackageDecls } from './decls.js';
export { guessPackageName, receiverBase } from './decls.js';
export type { Selection } from './lookup.js';
export { interfaceMethods, pointerReceiver } from './lookup.js';
export * from './types.js';
export * from './syntax.js';
