/**
 * The zod every Lambda cold-start path validates with: `zod/mini`, the functional API over the same core.
 * Classic zod's method-per-schema classes cost the cold start most of what Ingesta adds to a pg-only
 * function (loading, compiling, first parses); mini loads a fraction of it. Classic sets English messages
 * when its first schema is built; mini does not, so this does, once, unless a locale is already set.
 * Import it as a namespace (`import * as z`): esbuild then keeps only the functions called, where a `z`
 * object would keep all of zod's exports (its JSON Schema generator among them).
 */

import { config, type ZodMiniObject, ZodMiniType } from 'zod/mini';
import { $constructor, $ZodObjectJIT } from 'zod/v4/core';
import en from 'zod/v4/locales/en.js';

if (!config().localeError) config(en());

export * from 'zod/mini';

/**
 * zod/mini's objects check their keys one by one; classic zod's compile a checker once (new Function, on
 * the first parse) and cost about 2 µs less per subscriber record. `compiled` gives a mini object that
 * compiled checker, for the schemas parsed per record; one parsed once (config) is not worth compiling.
 */
const ZodMiniObjectJIT = $constructor('ZodMiniObject', (inst: ZodMiniObject, def: ZodMiniObject['def']) => {
  $ZodObjectJIT.init(inst, def);
  ZodMiniType.init(inst, def);
  Object.defineProperty(inst, 'shape', { get: () => inst._zod.def.shape, configurable: true });
});

const compiled = <S extends ZodMiniObject>(schema: S): S =>
  new ZodMiniObjectJIT(schema._zod.def) as unknown as S;

export { compiled };
