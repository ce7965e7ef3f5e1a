import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { toFunctionUrlEvent } from '#local/functionUrlEvent.ts';

/** A Function URL event for a request, built by the same converter the local server uses. */
const functionUrlRequest = (
  method: string,
  url: string,
  { body, headers = {} }: { body?: string | Buffer; headers?: Record<string, string> } = {},
): LambdaFunctionURLEvent => {
  const withType =
    body !== undefined && !('content-type' in headers)
      ? { 'content-type': 'application/json', ...headers }
      : headers;
  return toFunctionUrlEvent({
    method,
    url,
    rawHeaders: Object.entries(withType).flat(),
    body: body === undefined ? Buffer.alloc(0) : Buffer.from(body),
    sourceIp: '127.0.0.1',
    host: 'abc123.lambda-url.us-east-1.on.aws',
  });
};

/** The same event as a Function URL with AWS_IAM auth delivers it: signed by the principal `userArn`. */
const signedBy = <E extends { requestContext: object }>(event: E, userArn: string): E => ({
  ...event,
  requestContext: {
    ...event.requestContext,
    authorizer: {
      iam: {
        accessKey: 'ASIAEXAMPLE',
        accountId: '123456789012',
        callerId: 'AROAEXAMPLE:session',
        principalOrgId: null,
        userArn,
        userId: 'AROAEXAMPLE:session',
      },
    },
  },
});

export { functionUrlRequest, signedBy };
