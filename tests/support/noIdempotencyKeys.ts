import { DEFAULT_IDEMPOTENCY_POLICY, type IdempotencyDependencies } from '#shared/domain/idempotency.ts';

const refuse = () =>
  Promise.reject(new Error('No Idempotency-Key was sent, so the key store must not be asked.'));

/** For tests whose requests carry no Idempotency-Key: the key store fails loudly if it is ever used. */
const noIdempotencyKeys: IdempotencyDependencies = {
  store: { claim: refuse, complete: refuse, release: refuse },
  policy: DEFAULT_IDEMPOTENCY_POLICY,
};

export { noIdempotencyKeys };
