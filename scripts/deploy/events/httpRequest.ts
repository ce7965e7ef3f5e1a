/** An HTTP request as the API checks describe it, before any transport turns it into an event. */
type HttpRequest = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
};

/** An HTTP response as the API checks read it, whatever the transport. */
type HttpResponse = {
  statusCode: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
};

export type { HttpRequest, HttpResponse };
