/**
 * The zod every Lambda cold-start path validates with: `zod/mini`, the functional API over the same core.
 * Classic zod's method-per-schema classes cost the cold start most of what Ingesta adds to a pg-only
 * function (loading, compiling, first parses); mini loads a fraction of it. Classic sets English messages
 * when its first schema is built; mini does not, so this does, once, unless a locale is already set.
 * Import it as a namespace (`import * as z`): esbuild then keeps only the functions called, where a `z`
 * object would keep all of zod's exports (its JSON Schema generator among them).
 */

import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

if (!config().localeError) config(en());

export * from 'zod/mini';
