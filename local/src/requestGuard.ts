import type { IncomingMessage } from 'node:http';
import type { HttpError } from '#api/http/errors.ts';
import { CrossSiteRequestError, MalformedRequestError, MisdirectedRequestError } from './localProblems.ts';

/** Names of this machine's loopback interface; the configured HOST is added to them. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'] as const;

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** An IPv6 literal in a Host header or an origin is bracketed. */
const asAuthorityName = (host: string): string =>
  host.includes(':') && !host.startsWith('[') ? `[${host}]` : host.toLowerCase();

/** `name:port` for every name this server answers to, on the port the connection reached. */
const authoritiesFor = (names: readonly string[], port: number): Set<string> => {
  const authorities = new Set(names.map((name) => `${name}:${port}`));
  if (port === 80) for (const name of names) authorities.add(name);
  return authorities;
};

type RequestGuard = (request: IncomingMessage) => HttpError | undefined;

/**
 * What keeps a web page out of a server bound to loopback:
 * - the Host must name this server, so a DNS-rebinding page (Host: its own domain) reads nothing;
 * - a write must not come from another origin: a browser sends Origin on every cross-origin write,
 *   and Sec-Fetch-Site says cross-site. Clients that send neither (curl, SDKs) are not browsers.
 */
const createRequestGuard = (hosts: readonly string[] = []): RequestGuard => {
  const names = [...new Set([...LOOPBACK_NAMES, ...hosts.map(asAuthorityName)])];
  return (request) => {
    const host = request.headers.host;
    if (host === undefined || host === '') return new MalformedRequestError('A Host header is required.');
    const ours = authoritiesFor(names, request.socket.localPort ?? 0);
    if (!ours.has(host.toLowerCase())) return new MisdirectedRequestError(host);
    if (SAFE_METHODS.has(request.method ?? 'GET')) return undefined;
    if (request.headers['sec-fetch-site'] === 'cross-site') {
      return new CrossSiteRequestError('Sec-Fetch-Site is cross-site');
    }
    const origin = request.headers.origin?.toLowerCase();
    if (origin !== undefined && !(origin.startsWith('http://') && ours.has(origin.slice('http://'.length)))) {
      return new CrossSiteRequestError(`origin '${origin.slice(0, 200)}' is not this server's`);
    }
    return undefined;
  };
};

/**
 * A read that a page of another origin made (a frame, an image, an EventSource): a browser says so in
 * `Sec-Fetch-Site` (another port of 127.0.0.1 is `same-site`, not `same-origin`) and, for scripts, in `Origin`.
 * Reads are otherwise open; this is for what is scarce, such as the console's few live streams.
 */
const readFromAnotherOrigin = (request: IncomingMessage): HttpError | undefined => {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return new CrossSiteRequestError(`Sec-Fetch-Site is ${site.slice(0, 20)}`, 'reads');
  }
  const origin = request.headers.origin?.toLowerCase();
  const host = request.headers.host?.toLowerCase();
  if (origin !== undefined && origin !== `http://${host}`) {
    return new CrossSiteRequestError(`origin '${origin.slice(0, 200)}' is not this server's`, 'reads');
  }
  return undefined;
};

export type { RequestGuard };
export { createRequestGuard, readFromAnotherOrigin };
