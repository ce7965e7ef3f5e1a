import {
  type AliasConfiguration,
  CreateAliasCommand,
  GetAliasCommand,
  type LambdaClient,
  ResourceNotFoundException,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';

/** The alias as found before the deploy; `RevisionId` guards the move against a concurrent change. */
const readAlias = async (
  client: LambdaClient,
  functionName: string,
  aliasName: string,
): Promise<AliasConfiguration | undefined> => {
  try {
    return await client.send(new GetAliasCommand({ FunctionName: functionName, Name: aliasName }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

/** Points the alias at `version`, creating it on a function deployed for the first time. */
const pointAlias = async (
  client: LambdaClient,
  functionName: string,
  aliasName: string,
  version: string,
  current: AliasConfiguration | undefined,
): Promise<void> => {
  if (current) {
    await client.send(
      new UpdateAliasCommand({
        FunctionName: functionName,
        Name: aliasName,
        FunctionVersion: version,
        RevisionId: current.RevisionId,
        // Drops any leftover weighted routing, so all traffic goes to the smoke-tested version.
        RoutingConfig: { AdditionalVersionWeights: {} },
      }),
    );
    return;
  }
  await client.send(
    new CreateAliasCommand({ FunctionName: functionName, Name: aliasName, FunctionVersion: version }),
  );
};

export { pointAlias, readAlias };
