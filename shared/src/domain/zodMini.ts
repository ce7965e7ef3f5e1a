/**
 * The zod every Lambda cold-start path validates with: `zod/mini`, the functional API over the same core.
 * Classic zod's method-per-schema classes cost the cold start most of what Ingesta adds to a pg-only
 * function (loading, compiling, first parses); mini loads a fraction of it. Classic sets English messages
 * when its first schema is built; mini does not, so this does, once, unless a locale is already set.
 */

import { z } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

if (!z.config().localeError) z.config(en());

export { z };
