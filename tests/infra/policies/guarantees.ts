import { type EvaluationContext, evaluateValue } from '../support/expressions.ts';
import type { HclValue, TfBlock, TfModule } from '../support/hcl.ts';
import { evaluationContext, expandedReferences, nested } from './helpers.ts';
import type { PolicyContext } from './types.ts';

/** A rule over a module's inputs: what it reads, and the breach it finds in one configuration, if any. */
interface Rule {
  readonly reads: readonly HclValue[];
  breach(context: EvaluationContext): Promise<string | undefined>;
}

/** A configuration every validation and precondition lets through, yet the rule rejects. */
interface Breach {
  readonly description: string;
  readonly assignment: Readonly<Record<string, HclValue>>;
}

/**
 * Values tried for number inputs: the edges of the limits the pipeline's rules use (6 x timeout, batch 10,
 * window 1, concurrency 2-1000, batch 10000, visibility 43200) and a few ordinary values.
 */
const NUMBERS = [
  0, 1, 2, 5, 6, 9, 10, 11, 12, 29, 30, 31, 100, 179, 180, 181, 299, 300, 301, 900, 901, 999, 1000, 1001,
  5399, 5400, 9999, 10000, 10001, 43200,
] as const;
/** Above this many configurations the inputs are too entangled to enumerate; the rule counts as unproven. */
const MOST_CONFIGURATIONS = 20_000;

async function variablesIn(module: TfModule, values: readonly HclValue[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const value of values) {
    for (const reference of await expandedReferences(module, value)) {
      if (reference.startsWith('var.')) out.add(reference.slice(4));
    }
  }
  return out;
}

/** Values a variable can take: both booleans, the number grid (and null when that is the default), else its value. */
function candidates(variable: TfBlock | undefined, configured: HclValue | undefined): HclValue[] {
  // hcl2json renders `type = number` as an interpolation of the type name.
  const type = String(variable?.body.type ?? '').replace(/^\$\{(.*)\}$/, '$1');
  if (type === 'bool') return [false, true];
  if (type === 'number') return variable?.body.default === null ? [null, ...NUMBERS] : [...NUMBERS];
  return configured === undefined ? [] : [configured];
}

/** true, false, or undefined when the evaluator cannot tell (then it guards nothing). */
async function holds(condition: string, context: EvaluationContext): Promise<boolean | undefined> {
  try {
    return (await evaluateValue(condition, context)) === true;
  } catch {
    return undefined;
  }
}

function preconditionsOf(blocks: readonly TfBlock[]): string[] {
  return blocks
    .flatMap((block) => nested(block.body, 'lifecycle', 'precondition'))
    .map((precondition) => precondition.condition)
    .filter((condition): condition is string => typeof condition === 'string');
}

/**
 * Searches the inputs the rule reads (and those of the preconditions that share them) for a configuration
 * that passes every variable validation and every precondition of `guarded`, yet breaks the rule. Other
 * variables keep their configured values. A condition the evaluator cannot read guards nothing.
 */
async function findBreach(
  module: TfModule,
  rule: Rule,
  guarded: readonly TfBlock[],
  context?: PolicyContext,
): Promise<Breach | undefined> {
  const base = evaluationContext(module, context);
  const guards = await Promise.all(
    preconditionsOf(guarded).map(async (condition) => ({
      condition,
      variables: await variablesIn(module, [condition]),
    })),
  );
  const names = await variablesIn(module, rule.reads);
  let grown = true;
  while (grown) {
    grown = false;
    for (const guard of guards) {
      if (![...guard.variables].some((name) => names.has(name))) continue;
      for (const name of guard.variables) {
        if (!names.has(name)) {
          names.add(name);
          grown = true;
        }
      }
    }
  }
  const relevant = guards.filter((guard) => [...guard.variables].some((name) => names.has(name)));
  const declared = new Map(
    module.blocks.filter((block) => block.kind === 'variable').map((block) => [block.name, block]),
  );
  const all = [...names].sort().map((name) => {
    const variable = declared.get(name);
    const validations = nested(variable?.body ?? {}, 'validation')
      .map((validation) => validation.condition)
      .filter((condition): condition is string => typeof condition === 'string');
    return { name, values: candidates(variable, base.variables[name]), validations };
  });
  // A variable with no value to try keeps none; the rule then cannot be evaluated and says so.
  const inputs = all.filter((input) => input.values.length > 0);
  // With no input to vary, the configured values alone decide, and the policy checks those itself.
  if (inputs.length === 0) return undefined;
  const total = inputs.reduce((product, input) => product * input.values.length, 1);
  if (total > MOST_CONFIGURATIONS) {
    return { description: `too many input combinations to check (${total})`, assignment: {} };
  }

  const assignment: Record<string, HclValue> = {};
  const search = async (index: number): Promise<Breach | undefined> => {
    const input = inputs[index];
    if (input === undefined) {
      const candidate: EvaluationContext = {
        variables: { ...base.variables, ...assignment },
        locals: base.locals,
      };
      for (const condition of [
        ...inputs.flatMap((i) => i.validations),
        ...relevant.map((g) => g.condition),
      ]) {
        if ((await holds(condition, candidate)) === false) return undefined;
      }
      let description: string | undefined;
      try {
        description = await rule.breach(candidate);
      } catch (error) {
        description = `a configuration the rule cannot evaluate (${String(error)})`;
      }
      return description === undefined ? undefined : { description, assignment: { ...assignment } };
    }
    for (const value of input.values) {
      assignment[input.name] = value;
      const found = await search(index + 1);
      if (found) return found;
    }
    delete assignment[input.name];
    return undefined;
  };
  return search(0);
}

function describeBreach(breach: Breach): string {
  const inputs = Object.entries(breach.assignment)
    .map(([name, value]) => `${name} = ${JSON.stringify(value)}`)
    .join(', ');
  return `validations and preconditions admit ${breach.description}${inputs ? ` (${inputs})` : ''}`;
}

export type { Breach, Rule };
export { describeBreach, findBreach };
