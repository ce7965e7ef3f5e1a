import { randomBytes } from 'node:crypto';
import { SMOKE_EMAIL_DOMAIN, SMOKE_USER_NAME } from '../constants.ts';

type SmokeUser = { name: string; email: string };

/** A unique user that reads as smoke data wherever it lands: `smoke-<ms>-<hex>@example.com`. */
const createSmokeUser = (
  now: Date = new Date(),
  random: string = randomBytes(4).toString('hex'),
): SmokeUser => ({
  name: SMOKE_USER_NAME,
  email: `smoke-${now.getTime()}-${random}@${SMOKE_EMAIL_DOMAIN}`,
});

export type { SmokeUser };
export { createSmokeUser };
