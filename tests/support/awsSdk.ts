/** Any key is accepted by the local endpoint; these never leave this machine. */
const DUMMY_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

type SdkError = Error & { $metadata: { httpStatusCode?: number } };

/** The error an SDK call rejected with, or a failure if it resolved. */
const rejection = async (call: Promise<unknown>): Promise<SdkError> => {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error('expected the call to fail');
  return outcome as SdkError;
};

/** The SDK error's name and HTTP status, or a failure when the call succeeded. */
const failureOf = async (call: Promise<unknown>): Promise<{ name: string; status: number | undefined }> => {
  const error = await rejection(call);
  return { name: error.name, status: error.$metadata?.httpStatusCode };
};

export { DUMMY_CREDENTIALS, failureOf, rejection };
