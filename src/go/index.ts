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
export type { Callee, GoroutineStart } from './calls.js';
export { calleesOfValue, implementations, serveHTTPMethods } from './calls.js';
export { ModuleView, moduleViewFor } from './module.js';
export type { StdFunc } from './stdlib.js';
export { argEffect, builtinArgEffect, JOIN_METHODS, methodArgEffect, SIGNAL_METHODS, STD_FUNCS, STD_TYPES, STD_FIELDS, STD_VALUES, stdFunc, parseType } from './stdlib.js';
export type { ArgEffect } from './stdlib.js';
export { hasSideEffects } from './effects.js';
