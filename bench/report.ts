/** Collects benchmark rows and prints them as one Markdown table. */
interface Row {
  suite: string;
  measure: string;
  ours: string;
  anchor: string;
  ratio: string;
}

const rows: Row[] = [];

const record = (row: Row): void => {
  rows.push(row);
  console.log(`  ${row.suite} · ${row.measure}: ours ${row.ours} | anchor ${row.anchor} | ${row.ratio}`);
};

const printTable = (): void => {
  console.log('\n| Suite | Measure | Ours | Anchor (same run) | Ratio |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.suite} | ${r.measure} | ${r.ours} | ${r.anchor} | ${r.ratio} |`);
};

export type { Row };
export { printTable, record };
