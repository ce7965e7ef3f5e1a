import document from '../../../docs/openapi.json' with { type: 'json' };
import { conditional } from '../http/conditional.ts';
import { json, type RouteHandler } from '../http/httpTypes.ts';

/**
 * GET /openapi.json: the committed contract, which a test keeps byte for byte equal to the one the code
 * generates (`npm run openapi`). Served as committed, so the Lambda bundle carries no JSON Schema generator
 * (20 KB of zod that every API cold start loaded). Revalidated by ETag like the user routes.
 */
const openApiRoute = (): RouteHandler => async (request) => conditional(request, json(200, document));

export { openApiRoute };
