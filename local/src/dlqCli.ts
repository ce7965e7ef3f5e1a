/**
 * `npm run dlq`: lists dead-lettered messages of a running `npm start`, with their last error.
 * Message bodies hold users' names and emails: shown only with `npm run dlq -- --show-bodies`.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DeadLetterViewSchema } from './runtimeRoutes.ts';

const DeadLettersSchema = z.object({ items: z.array(DeadLetterViewSchema) });

const base = process.env.INGESTA_URL ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}`;

const main = async (): Promise<void> => {
  const { values } = parseArgs({ options: { 'show-bodies': { type: 'boolean', default: false } } });
  const showBodies = values['show-bodies'];
  let response: Response;
  try {
    response = await fetch(`${base}/_local/dlq${showBodies ? '?showBodies=true' : ''}`, {
      signal: AbortSignal.timeout(5_000),
    });
  } catch {
    console.error(`No local pipeline answers at ${base}. Start it with \`npm start\` (or set INGESTA_URL).`);
    process.exit(1);
  }
  const { items } = DeadLettersSchema.parse(await response.json());
  if (items.length === 0) {
    console.log('The dead-letter queue is empty.');
    return;
  }
  for (const item of items) {
    const message =
      item.message === undefined
        ? `(${item.messageBytes} bytes; --show-bodies to print it)`
        : item.message.slice(0, 300);
    console.log(
      `${item.messageId}  receives=${item.receiveCount}  dead since ${item.deadLetteredAt ?? '?'}\n` +
        `  last error: ${item.lastError ?? '(none recorded)'}\n` +
        `  message:    ${message}\n`,
    );
  }
  console.log(
    `${items.length} dead-lettered message(s). Redrive: curl -X POST ${base}/_local/dlq/redrive -H 'content-type: application/json'`,
  );
};

await main();
