/**
 * What a function reads at cold start under IAM database authentication, pointed at a port where nothing
 * listens and with example credentials: a cold start that made any network call before its first query fails.
 */
const IAM_COLD_START_ENV = {
  DB_IAM_AUTH: 'true',
  DB_HOST: '127.0.0.1',
  DB_PORT: '9',
  DB_SSL: 'verify-full',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'example',
  AWS_SESSION_TOKEN: 'example',
  DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-abc',
} as const;

export { IAM_COLD_START_ENV };
