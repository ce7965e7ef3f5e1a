/**
 * Every AWS call is bounded: SDK v3 has no request timeout by default, so a hung connection would
 * hold an invocation until the Lambda timeout. Three attempts of at most ~3 s each. Without
 * `throwOnRequestTimeout` the SDK only logs a breached request timeout and keeps waiting.
 */
const AWS_CLIENT_OPTIONS = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
} as const;

export { AWS_CLIENT_OPTIONS };
