import { conditional } from '../http/conditional.ts';
import { json, type RouteHandler } from '../http/httpTypes.ts';
import { openApiDocument } from '../openapi/document.ts';

/** GET /openapi.json: the contract this very build keeps, revalidated by ETag like the user routes. */
const openApiRoute = (): RouteHandler => async (request) =>
  conditional(request, json(200, openApiDocument()));

export { openApiRoute };
