import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * Checks an HTTP exchange against the OpenAPI document: is this status documented for this operation,
 * are the headers the documented ones (required present, values valid, nothing undocumented), and
 * does the body match the documented media type and schema? Requests outside the operations are held
 * to the document's `x-unmatched-requests` (404 for an unknown path, 405 + Allow for a wrong method).
 */
type Json = Record<string, unknown>;

interface Exchange {
  method: string;
  /** Without the query string. */
  path: string;
  status: number;
  /** Any case. Undefined when they were not seen (a plain curl): then only status and body are checked. */
  headers: Readonly<Record<string, string>> | undefined;
  body: string;
}

const DOC_ID = 'urn:ingesta:openapi';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const FUNCTION_URL_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
/** Set by the transport, not by the API: never documented. */
const TRANSPORT_HEADERS = new Set([
  'content-type',
  'content-length',
  'transfer-encoding',
  'date',
  'connection',
  'keep-alive',
]);

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Refs are relative to the document; the validator knows the document's schemas by DOC_ID. */
const anchorRefs = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(anchorRefs);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${DOC_ID}${v}` : anchorRefs(v),
    ]),
  );
};

/** `/users/{id}` → /^\/users\/[^/]+$/ (parameters match one segment). */
const templateRegex = (template: string): RegExp =>
  new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);

class OpenApiContract {
  readonly #doc: Json;
  readonly #ajv: Ajv2020;
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(doc: Json) {
    this.#doc = doc;
    this.#ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
    const components = isObject(doc.components) ? doc.components : {};
    this.#ajv.addSchema({ $id: DOC_ID, components: { schemas: components.schemas ?? {} } });
  }

  /** Follows a local `$ref` ("#/components/…") to what it names. */
  #resolve(value: unknown): Json {
    let current = value;
    for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops += 1) {
      if (hops > 10) throw new Error(`$ref loop at ${current.$ref}`);
      const pointer = current.$ref.replace(/^#\//, '').split('/');
      current = pointer.reduce<unknown>(
        (node, part) => (isObject(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined),
        this.#doc,
      );
    }
    if (!isObject(current)) throw new Error('The document has a dangling $ref.');
    return current;
  }

  #validator(key: string, schema: unknown): ValidateFunction {
    let validate = this.#validators.get(key);
    if (validate === undefined) {
      validate = this.#ajv.compile(anchorRefs(schema) as Json);
      this.#validators.set(key, validate);
    }
    return validate;
  }

  #schemaErrors(key: string, schema: unknown, value: unknown): string[] {
    const validate = this.#validator(key, schema);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`);
  }

  /** The documented response for this exchange, or why there is none. */
  #expected(exchange: Exchange): { where: string; response: Json; allow?: string[] } | string {
    const paths = isObject(this.#doc.paths) ? this.#doc.paths : {};
    const unmatched = isObject(this.#doc['x-unmatched-requests']) ? this.#doc['x-unmatched-requests'] : {};
    const template = Object.keys(paths).find((t) => templateRegex(t).test(exchange.path));
    if (template === undefined) {
      if (exchange.status !== 404)
        return `${exchange.method} ${exchange.path} is no documented path, yet answered ${exchange.status}`;
      return { where: 'x-unmatched-requests.unknownPath', response: this.#resolve(unmatched.unknownPath) };
    }
    const item = this.#resolve(paths[template]);
    const operation = item[exchange.method.toLowerCase()];
    if (!isObject(operation)) {
      const allow = METHODS.filter((m) => isObject(item[m])).map((m) => m.toUpperCase());
      if (exchange.status !== 405)
        return `${exchange.method} ${template} is no documented operation, yet answered ${exchange.status}`;
      return {
        where: 'x-unmatched-requests.wrongMethod',
        response: this.#resolve(unmatched.wrongMethod),
        allow,
      };
    }
    const responses = isObject(operation.responses) ? operation.responses : {};
    const response = responses[String(exchange.status)] ?? responses.default;
    if (response === undefined) {
      return `${exchange.method} ${template} answered ${exchange.status}, which is not documented`;
    }
    return { where: `${exchange.method} ${template} ${exchange.status}`, response: this.#resolve(response) };
  }

  /** Every way this exchange departs from the document; empty when it keeps it. */
  check(exchange: Exchange): string[] {
    // A Function URL delivers only these methods; others (WebDAV's PROPFIND…) never reach the function in
    // AWS, and locally the payload 2.0 schema refuses them with 400: the front door's answer, not the API's.
    if (!FUNCTION_URL_METHODS.has(exchange.method.toUpperCase())) return [];
    const expected = this.#expected(exchange);
    if (typeof expected === 'string') return [expected];
    const { where, response, allow } = expected;
    const problems: string[] = [];
    const seen = exchange.headers !== undefined;
    const headers = Object.fromEntries(
      Object.entries(exchange.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    );

    const documented = new Map(
      Object.entries(isObject(response.headers) ? response.headers : {}).map(([name, header]) => [
        name.toLowerCase(),
        this.#resolve(header),
      ]),
    );
    for (const [name, header] of seen ? documented : []) {
      const value = headers[name];
      if (value === undefined) {
        if (header.required === true) problems.push(`${where}: header ${name} is required but missing`);
        continue;
      }
      for (const error of this.#schemaErrors(`${where} header ${name}`, header.schema ?? {}, value)) {
        problems.push(`${where}: header ${name} ${JSON.stringify(value)}: ${error}`);
      }
    }
    for (const name of Object.keys(headers)) {
      if (!documented.has(name) && !TRANSPORT_HEADERS.has(name)) {
        problems.push(`${where}: header ${name} is not documented`);
      }
    }
    if (allow !== undefined && seen) {
      const sent = (headers.allow ?? '')
        .split(',')
        .map((m) => m.trim())
        .sort();
      if (sent.join(', ') !== [...allow].sort().join(', ')) {
        problems.push(`${where}: Allow is '${headers.allow}', the document lists ${allow.join(', ')}`);
      }
    }

    const content = isObject(response.content) ? response.content : undefined;
    if (content === undefined) {
      if (exchange.body !== '') problems.push(`${where}: a body was sent where none is documented`);
      return problems;
    }
    const mediaType = seen
      ? ((headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '')
      : (Object.keys(content)[0] ?? '');
    const media = content[mediaType];
    if (!isObject(media)) {
      problems.push(
        `${where}: content type '${mediaType}' is not documented (${Object.keys(content).join(', ')})`,
      );
      return problems;
    }
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      problems.push(`${where}: the body is not JSON`);
      return problems;
    }
    for (const error of this.#schemaErrors(`${where} ${mediaType}`, media.schema ?? {}, body)) {
      problems.push(`${where}: body ${error}`);
    }
    return problems;
  }
}

export type { Exchange };
export { OpenApiContract };
