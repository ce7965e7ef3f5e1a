import type { HttpResponse } from './httpRequest.ts';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a handler's return value the way the Function URL service does: an object with a numeric
 * `statusCode` is a response; anything else is a 200 JSON body.
 */
const parseFunctionUrlResult = (payload: unknown): HttpResponse => {
  if (!isRecord(payload) || typeof payload.statusCode !== 'number') {
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: typeof payload === 'string' ? payload : JSON.stringify(payload ?? null),
    };
  }
  const headers: Record<string, string> = {};
  if (isRecord(payload.headers)) {
    for (const [name, value] of Object.entries(payload.headers)) headers[name.toLowerCase()] = String(value);
  }
  const rawBody = typeof payload.body === 'string' ? payload.body : '';
  const body = payload.isBase64Encoded === true ? Buffer.from(rawBody, 'base64').toString('utf8') : rawBody;
  return { statusCode: payload.statusCode, headers, body };
};

/** Turns an HTTP response back into a Function URL result, for transports that speak real HTTP. */
const toFunctionUrlResult = (response: HttpResponse) => ({
  statusCode: response.statusCode,
  headers: response.headers,
  body: response.body,
  isBase64Encoded: false,
});

export { isRecord, parseFunctionUrlResult, toFunctionUrlResult };
