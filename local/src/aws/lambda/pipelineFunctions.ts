import type { LocalPipeline } from '#local/createLocalPipeline.ts';
import type { FunctionDefinition, LambdaBuild } from './functionRegistry.ts';

/** The image URIs that name the builds `npm start` runs: the handlers of this checkout. */
const DEFAULT_IMAGES = {
  api: 'ingesta-api:local',
  suscriptor: 'ingesta-suscriptor:local',
} as const;

/** Settings of the local Lambda service (LocalPipelineOptions.lambda). */
interface LocalLambdaOptions {
  /** More deployable builds besides the defaults (e.g. a build that fails its smoke check). */
  builds?: readonly LambdaBuild[];
  /** Function timeouts in seconds; the Terraform module's defaults otherwise (API 10, subscriber 30). */
  timeoutSeconds?: { api?: number; suscriptor?: number };
  memorySize?: number;
}

/**
 * The pipeline's two functions under the names the Terraform module gives them by default, each on the build
 * of the handler the pipeline already runs.
 */
const pipelineFunctions = (
  pipeline: Pick<LocalPipeline, 'apiHandler' | 'subscriberHandler'>,
  options: LocalLambdaOptions = {},
): FunctionDefinition[] => [
  {
    name: 'ingesta-api',
    build: { imageUri: DEFAULT_IMAGES.api, handler: pipeline.apiHandler },
    timeoutSeconds: options.timeoutSeconds?.api ?? 10,
    memorySize: options.memorySize ?? 512,
  },
  {
    name: 'ingesta-suscriptor',
    build: { imageUri: DEFAULT_IMAGES.suscriptor, handler: pipeline.subscriberHandler },
    timeoutSeconds: options.timeoutSeconds?.suscriptor ?? 30,
    memorySize: options.memorySize ?? 512,
  },
];

export type { LocalLambdaOptions };
export { DEFAULT_IMAGES, pipelineFunctions };
