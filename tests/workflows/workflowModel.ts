import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The parts of a workflow the checks read; everything else stays `unknown`. */
type Step = {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
};
type Job = {
  uses?: string;
  permissions?: unknown;
  steps?: Step[];
  concurrency?: unknown;
  environment?: unknown;
  services?: Record<string, unknown>;
  env?: Record<string, unknown>;
  strategy?: unknown;
  [key: string]: unknown;
};
type Workflow = {
  name?: string;
  on?: unknown;
  permissions?: unknown;
  concurrency?: unknown;
  jobs: Record<string, Job>;
};

type WorkflowFile = { file: string; text: string; workflow: Workflow };

const WORKFLOW_DIR = join(import.meta.dirname, '..', '..', '.github', 'workflows');

const parseWorkflow = (text: string): Workflow => {
  const parsed: unknown = parse(text);
  if (typeof parsed !== 'object' || parsed === null || !('jobs' in parsed)) {
    throw new Error('not a workflow: no jobs');
  }
  return parsed as Workflow;
};

/** Every workflow in `.github/workflows`, read and parsed. */
const loadWorkflows = (dir: string = WORKFLOW_DIR): WorkflowFile[] =>
  readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return { file, text, workflow: parseWorkflow(text) };
    });

/** The trigger names, whichever of the three YAML forms `on:` takes. */
const triggersOf = (workflow: Workflow): string[] => {
  const on = workflow.on;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  if (typeof on === 'object' && on !== null) return Object.keys(on);
  return [];
};

/** Every `uses:` in the workflow: steps' actions and jobs' reusable workflows. */
const usesOf = (workflow: Workflow): { job: string; uses: string }[] =>
  Object.entries(workflow.jobs).flatMap(([job, definition]) => [
    ...(definition.uses ? [{ job, uses: definition.uses }] : []),
    ...(definition.steps ?? []).flatMap((step) => (step.uses ? [{ job, uses: step.uses }] : [])),
  ]);

export type { Job, Step, Workflow, WorkflowFile };
export { loadWorkflows, parseWorkflow, triggersOf, usesOf, WORKFLOW_DIR };
