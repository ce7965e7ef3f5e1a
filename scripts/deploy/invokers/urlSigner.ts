import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Provider } from '@smithy/types';
import { UsageError } from '../errors.ts';

/** `https://<id>.lambda-url.<region>.on.aws/` → `<region>`. */
const regionFromFunctionUrl = (url: string): string | undefined =>
  /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(new URL(url).hostname)?.[1];

/** A SigV4 signer for Function URLs whose auth type is `AWS_IAM`. */
const createFunctionUrlSigner = (
  url: string,
  credentials: AwsCredentialIdentity | Provider<AwsCredentialIdentity>,
  region?: string,
): SignatureV4 => {
  const resolvedRegion = region ?? regionFromFunctionUrl(url);
  if (!resolvedRegion) throw new UsageError(`Cannot tell the region of ${url}; pass --region`);
  return new SignatureV4({ service: 'lambda', region: resolvedRegion, credentials, sha256: Sha256 });
};

export { createFunctionUrlSigner, regionFromFunctionUrl };
