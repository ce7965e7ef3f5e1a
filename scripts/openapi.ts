/**
 * `npm run openapi`: writes docs/openapi.json from the code (the zod schemas and the routes), the same
 * document GET /openapi.json serves. `--check` writes nothing and fails if the committed copy is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderOpenApi } from '#api/openapi/document.ts';

const OPENAPI_PATH = 'docs/openapi.json';

const fresh = renderOpenApi();
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(OPENAPI_PATH, 'utf8');
  } catch {
    // Missing counts as stale.
  }
  if (committed !== fresh) {
    console.error(`${OPENAPI_PATH} is stale: run npm run openapi and commit it.`);
    process.exitCode = 1;
  } else console.log(`${OPENAPI_PATH} is up to date.`);
} else {
  writeFileSync(OPENAPI_PATH, fresh);
  console.log(`Wrote ${OPENAPI_PATH}.`);
}
