import type { HclValue, TfModule } from './hcl.ts';

const BEGIN = '<!-- BEGIN_TF_DOCS -->';
const END = '<!-- END_TF_DOCS -->';

/** The names in the first column of a markdown table that follows `## <heading>` inside the terraform-docs markers. */
function tableNames(readme: string, heading: string): string[] {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error('README has no terraform-docs markers');
  const section = readme.slice(start, end);
  const at = section.indexOf(`## ${heading}`);
  if (at < 0) return [];
  const lines = section.slice(at).split('\n').slice(1);
  const names: string[] = [];
  let inTable = false;
  for (const line of lines) {
    if (line.startsWith('## ')) break;
    if (!line.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cell = line.split('|')[1]?.trim() ?? '';
    // The header row and the |---| separator row hold no names.
    if (cell === 'Name' || /^:?-+:?$/.test(cell)) continue;
    const name = /^\[?<a name="[^"]*"><\/a>\s*\[?([a-z0-9_]+)\]?|^`?([a-z0-9_]+)`?$/.exec(cell);
    const found = name?.[1] ?? name?.[2];
    if (found) names.push(found);
  }
  return names;
}

function renderDefault(value: HclValue | undefined): string {
  if (value === undefined) return 'n/a';
  return `\`${JSON.stringify(value)}\``;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** The Inputs and Outputs tables in terraform-docs' markdown-table style, from a parsed module. */
function renderTables(module: TfModule): string {
  const variables = module.blocks
    .filter((block) => block.kind === 'variable')
    .sort((a, b) => a.name.localeCompare(b.name));
  const outputs = module.blocks
    .filter((block) => block.kind === 'output')
    .sort((a, b) => a.name.localeCompare(b.name));
  const typeOf = (value: HclValue | undefined) =>
    typeof value === 'string' ? value.replace(/^\$\{(.*)\}$/s, '$1') : 'any';
  const inputs = variables.map(
    (variable) =>
      `| ${variable.name} | ${escapeCell(String(variable.body.description ?? ''))} | \`${escapeCell(typeOf(variable.body.type))}\` | ${escapeCell(renderDefault(variable.body.default))} | ${variable.body.default === undefined ? 'yes' : 'no'} |`,
  );
  const outs = outputs.map(
    (output) => `| ${output.name} | ${escapeCell(String(output.body.description ?? ''))} |`,
  );
  return [
    BEGIN,
    '## Inputs',
    '',
    '| Name | Description | Type | Default | Required |',
    '|------|-------------|------|---------|:--------:|',
    ...inputs,
    '',
    '## Outputs',
    '',
    '| Name | Description |',
    '|------|-------------|',
    ...outs,
    END,
  ].join('\n');
}

export { renderTables, tableNames };
