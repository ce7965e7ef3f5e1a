import type { HclValue, TfModule } from './hcl.ts';

const BEGIN = '<!-- BEGIN_TF_DOCS -->';
const END = '<!-- END_TF_DOCS -->';

interface TableRow {
  readonly name: string;
  readonly cells: readonly string[];
}

/** Cells of a markdown table row, split on unescaped pipes, trimmed and unescaped. */
function cellsOf(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|\s*$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replaceAll('\\|', '|'));
}

/** Rows of the markdown table under `## <heading>` inside the terraform-docs markers, keyed by their first column. */
function tableRows(readme: string, heading: string): TableRow[] {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error('README has no terraform-docs markers');
  const section = readme.slice(start, end);
  const at = section.indexOf(`## ${heading}`);
  if (at < 0) return [];
  const rows: TableRow[] = [];
  let inTable = false;
  for (const line of section.slice(at).split('\n').slice(1)) {
    if (line.startsWith('## ')) break;
    if (!line.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = cellsOf(line);
    const first = cells[0] ?? '';
    // The header row and the |---| separator row hold no names.
    if (first === 'Name' || /^:?-+:?$/.test(first)) continue;
    const name = /^\[?<a name="[^"]*"><\/a>\s*\[?([a-z0-9_]+)\]?|^`?([a-z0-9_]+)`?$/.exec(first);
    const found = name?.[1] ?? name?.[2];
    if (found) rows.push({ name: found, cells });
  }
  return rows;
}

function tableNames(readme: string, heading: string): string[] {
  return tableRows(readme, heading).map((row) => row.name);
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

export { renderTables, tableNames, tableRows };
