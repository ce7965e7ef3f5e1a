import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

type Credentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

interface RdsIamTokenOptions {
  host: string;
  port: number;
  /** The database role the token logs in as (it must be a member of rds_iam). */
  user: string;
  region: string;
  /** The function's own role credentials (in Lambda: its environment, so signing needs no network). */
  credentials: Credentials;
  /** How long one token is handed out; RDS accepts a token for 15 minutes after it is signed. */
  reuseMs?: number;
  now?: () => number;
}

/** RDS checks a token when a connection opens; it stays valid for 900 s after signing. */
const TOKEN_LIFETIME_S = 900;
/** Reused for 10 minutes, so every token handed out still has at least 5 minutes to live. */
const DEFAULT_REUSE_MS = 10 * 60_000;

/** Query strings as AWS encodes them (RFC 3986: also !'()*). */
const encode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Signs an RDS IAM authentication token locally, as the AWS SDK's RDS Signer and `aws rds
 * generate-db-auth-token` do: a SigV4-presigned `connect` action for the user, for service rds-db,
 * without its scheme. No network call. One token is reused for `reuseMs`; concurrent callers share one
 * signing, and a failed signing is not kept.
 */
const rdsIamAuthToken = ({
  host,
  port,
  user,
  region,
  credentials,
  reuseMs = DEFAULT_REUSE_MS,
  now = Date.now,
}: RdsIamTokenOptions): (() => Promise<string>) => {
  const signer = new SignatureV4({ service: 'rds-db', region, credentials, sha256: Sha256 });
  let cached: { token: Promise<string>; reuseUntil: number } | undefined;

  const sign = async (signedAt: number): Promise<string> => {
    const presigned = await signer.presign(
      {
        method: 'GET',
        protocol: 'https:',
        hostname: host,
        port,
        path: '/',
        query: { Action: 'connect', DBUser: user },
        headers: { host: `${host}:${port}` },
      },
      { expiresIn: TOKEN_LIFETIME_S, signingDate: new Date(signedAt) },
    );
    const query = Object.entries(presigned.query ?? {})
      .flatMap(([key, value]) =>
        (Array.isArray(value) ? value : [value]).map((v) => `${encode(key)}=${encode(String(v ?? ''))}`),
      )
      .join('&');
    return `${host}:${port}/?${query}`;
  };

  return () => {
    const at = now();
    if (cached === undefined || at >= cached.reuseUntil) {
      const token = sign(at);
      cached = { token, reuseUntil: at + reuseMs };
      token.catch(() => {
        if (cached?.token === token) cached = undefined;
      });
    }
    return cached.token;
  };
};

export type { RdsIamTokenOptions };
export { rdsIamAuthToken, TOKEN_LIFETIME_S };
