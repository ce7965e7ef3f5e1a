import { dbConnectionBudget, rdsProxyWiring } from './connections.ts';
import {
  contractEnvironment,
  deploysOwnImageAndAlias,
  liveAliasRouting,
  migrationsByDeployRoleOnly,
} from './contract.ts';
import {
  dbForceSsl,
  dbIngressFromLambdaOnly,
  dbManagedPassword,
  dbNotPublic,
  dbPrivateSubnets,
} from './database.ts';
import {
  dbIamOwnUser,
  masterSecretForMigrationsOnly,
  timeoutsBeforeLambdaTimeout,
} from './databaseAccess.ts';
import { ecrScanImmutable } from './ecr.ts';
import { auroraStorageEncrypted, dlqEncrypted, snsEncrypted, sqsEncrypted } from './encryption.ts';
import { deployTrustScoped, noWildcardActions, wildcardResourceJustified } from './iam.ts';
import {
  functionUrlNotPublicByDefault,
  functionUrlPermissions,
  lambdaInVpc,
  logRetention,
  mappingProtectsDatabase,
  reportBatchItemFailures,
} from './lambda.ts';
import { dlqAlarm, pipelineAlarms } from './monitoring.ts';
import { logsMaskEmails } from './personalData.ts';
import { dlqAttached, noDirectSnsToLambda, queuePolicyTopicOnly, visibilityTimeout } from './pubsub.ts';
import { noLiteralSecrets } from './secrets.ts';
import { sloBurnRatePages } from './slo.ts';
import { deploySbomPrefixOnly, s3BucketEncrypted, s3BucketPrivate, s3BucketVersioned } from './storage.ts';
import type { Policy } from './types.ts';
import { providerPinned } from './versions.ts';

/** Every policy the pipeline module must satisfy. */
const POLICIES: readonly Policy[] = [
  auroraStorageEncrypted,
  snsEncrypted,
  sqsEncrypted,
  dlqEncrypted,
  dbNotPublic,
  dbPrivateSubnets,
  dbManagedPassword,
  dbForceSsl,
  dbIngressFromLambdaOnly,
  dbIamOwnUser,
  masterSecretForMigrationsOnly,
  timeoutsBeforeLambdaTimeout,
  noLiteralSecrets,
  visibilityTimeout,
  dlqAttached,
  queuePolicyTopicOnly,
  noDirectSnsToLambda,
  reportBatchItemFailures,
  mappingProtectsDatabase,
  functionUrlNotPublicByDefault,
  functionUrlPermissions,
  noWildcardActions,
  wildcardResourceJustified,
  deployTrustScoped,
  logRetention,
  logsMaskEmails,
  lambdaInVpc,
  ecrScanImmutable,
  providerPinned,
  dlqAlarm,
  pipelineAlarms,
  sloBurnRatePages,
  liveAliasRouting,
  deploysOwnImageAndAlias,
  contractEnvironment,
  migrationsByDeployRoleOnly,
  dbConnectionBudget,
  rdsProxyWiring,
  s3BucketEncrypted,
  s3BucketVersioned,
  s3BucketPrivate,
  deploySbomPrefixOnly,
];

export type { Policy, PolicyContext, Violation } from './types.ts';
export { POLICIES };
