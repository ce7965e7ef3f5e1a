import type { LocalPipeline } from '#local/createLocalPipeline.ts';
import type { AwsService } from './awsService.ts';
import { createLambdaService } from './lambda/lambdaService.ts';
import { pipelineFunctions } from './lambda/pipelineFunctions.ts';
import { createSnsService } from './sns/snsService.ts';
import { createSqsService } from './sqs/sqsService.ts';

/** The services the endpoint serves over one pipeline (the same queues, topic and handlers npm start runs). */
const createAwsServices = (pipeline: LocalPipeline): AwsService[] => [
  createLambdaService(pipelineFunctions(pipeline, pipeline.lambda), pipeline.lambda.builds),
  createSqsService({ queues: [pipeline.queue, pipeline.dlq] }),
  createSnsService({ topic: pipeline.topic }),
];

export { createAwsServices };
