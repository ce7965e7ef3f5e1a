import { appendFile } from 'node:fs/promises';

/** Appends Markdown to the GitHub Actions job summary when running there; a no-op elsewhere. */
const appendStepSummary = async (markdown: string, summaryPath: string | undefined): Promise<void> => {
  if (summaryPath) await appendFile(summaryPath, `${markdown}\n`);
};

export { appendStepSummary };
