import { UsageError } from '../errors.ts';

/** A function name or ARN split from its qualifier (version or alias). */
type FunctionRef = { functionName: string; qualifier?: string };

const ARN_PARTS_WITHOUT_QUALIFIER = 7;

/**
 * Parses `name`, `name:qualifier`, `arn:aws:lambda:region:account:function:name` and the same ARN
 * with `:qualifier`. Lambda refuses a qualifier in both the name and the `Qualifier` field, so the
 * two are split here.
 */
const parseFunctionRef = (ref: string): FunctionRef => {
  const parts = ref.split(':');
  if (ref.startsWith('arn:')) {
    if (parts.length < ARN_PARTS_WITHOUT_QUALIFIER || parts.length > ARN_PARTS_WITHOUT_QUALIFIER + 1) {
      throw new UsageError(`Not a Lambda function ARN: ${ref}`);
    }
    const functionName = parts.slice(0, ARN_PARTS_WITHOUT_QUALIFIER).join(':');
    const qualifier = parts[ARN_PARTS_WITHOUT_QUALIFIER];
    return qualifier ? { functionName, qualifier } : { functionName };
  }
  const [functionName, qualifier, ...rest] = parts;
  if (!functionName || rest.length > 0 || qualifier === '') {
    throw new UsageError(`Expected <name>, <name>:<qualifier> or a function ARN, got: ${ref}`);
  }
  return qualifier ? { functionName, qualifier } : { functionName };
};

/** The bare function name, which says which suite applies (`…-api`, `…-suscriptor`). */
const baseFunctionName = (ref: FunctionRef): string => ref.functionName.split(':').at(-1) ?? ref.functionName;

const formatFunctionRef = (ref: FunctionRef): string =>
  ref.qualifier ? `${ref.functionName}:${ref.qualifier}` : ref.functionName;

export type { FunctionRef };
export { baseFunctionName, formatFunctionRef, parseFunctionRef };
