import { DeployStepError } from '../errors.ts';
import type { DeployResult } from './deployFunction.ts';

/** One block a human reads at the end of a deploy log or in the job summary. */
const formatDeploySummary = (result: DeployResult, aliasName: string): string =>
  [
    `Deployed ${result.functionName}${result.created ? ' (created)' : ''}`,
    `  image:    ${result.imageUri}`,
    `  version:  ${result.version}`,
    `  ${aliasName}:    ${result.previousVersion ?? '(none)'} → ${result.version}`,
    ...(result.migration ? [`  schema:   ${result.migration.latest ?? '-'}`] : []),
    `  smoke:    ${result.smoke.outcomes.length} checks passed`,
    `Roll back: aws lambda update-alias --function-name ${result.functionName} --name ${aliasName} --function-version ${
      result.previousVersion ?? '<version>'
    }`,
  ].join('\n');

const formatDeployFailure = (error: DeployStepError, functionName: string, aliasName: string): string =>
  [
    `DEPLOY FAILED at step "${error.step}" for ${functionName}.`,
    error.message,
    error.liveVersion
      ? `Traffic is unaffected: alias ${aliasName} still points at version ${error.liveVersion}.`
      : `Alias ${aliasName} does not exist yet; nothing serves traffic from this deploy.`,
  ].join('\n');

const isDeployStepError = (error: unknown): error is DeployStepError => error instanceof DeployStepError;

export { formatDeployFailure, formatDeploySummary, isDeployStepError };
