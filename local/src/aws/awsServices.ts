import type { LocalPipeline } from '#local/createLocalPipeline.ts';
import type { AwsService } from './awsService.ts';

/** The services the endpoint serves over one pipeline (the same queues, topic and handlers npm start runs). */
const createAwsServices = (_pipeline: LocalPipeline): AwsService[] => [];

export { createAwsServices };
