import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from '../../domain/zodMini.ts';

/** The JSON RDS writes for a managed master user password. */
const RdsSecretSchema = z.object({
  username: z.string().check(z.minLength(1)),
  password: z.string().check(z.minLength(1)),
});

type DbCredentials = z.output<typeof RdsSecretSchema>;

/** How long a fetched secret is trusted; rotation is picked up within this window. */
const DEFAULT_TTL_MS = 5 * 60_000;

/**
 * Reads and caches the database secret. One in-flight fetch is shared by concurrent callers.
 */
const secretsManagerCredentials = (
  client: SecretsManagerClient,
  secretArn: string,
  { ttlMs = DEFAULT_TTL_MS, now = Date.now }: { ttlMs?: number; now?: () => number } = {},
): (() => Promise<DbCredentials>) => {
  let cached: { value: Promise<DbCredentials>; expiresAt: number } | undefined;

  const fetchSecret = async (): Promise<DbCredentials> => {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (out.SecretString === undefined) throw new Error(`Secret ${secretArn} has no SecretString.`);
    let json: unknown;
    try {
      json = JSON.parse(out.SecretString);
    } catch (error) {
      throw new Error(`Secret ${secretArn} is not JSON.`, { cause: error });
    }
    const parsed = RdsSecretSchema.safeParse(json);
    if (!parsed.success) throw new Error(`Secret ${secretArn} lacks username/password.`);
    return parsed.data;
  };

  return () => {
    if (cached === undefined || now() >= cached.expiresAt) {
      const value = fetchSecret();
      cached = { value, expiresAt: now() + ttlMs };
      // A failed fetch must not be cached.
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
};

export type { DbCredentials };
export { secretsManagerCredentials };
