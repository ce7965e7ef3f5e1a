import { z } from 'zod';
import { FUNCTION_KINDS } from '../constants.ts';
import { UsageError } from '../errors.ts';
import type { FunctionKind } from '../types.ts';

/** `subscriber` is accepted for `suscriptor`, the name the repository uses. */
const functionKindSchema = z.preprocess(
  (value) => (value === 'subscriber' ? 'suscriptor' : value),
  z.enum(FUNCTION_KINDS),
);

/** Function names end in `-api` or `-suscriptor` (contract), which picks the suite. */
const inferFunctionKind = (functionName: string): FunctionKind => {
  for (const kind of FUNCTION_KINDS) if (functionName.endsWith(`-${kind}`)) return kind;
  throw new UsageError(
    `Cannot tell the suite for ${functionName} from its name; pass --suite api|suscriptor`,
  );
};

export { functionKindSchema, inferFunctionKind };
