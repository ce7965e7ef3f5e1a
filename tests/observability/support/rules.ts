import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { RULE_TESTS_DIR, RULES_DIR } from './paths.ts';

const ruleSchema = z.object({
  record: z.string().optional(),
  alert: z.string().optional(),
  expr: z.union([z.string(), z.number()]).transform(String),
  for: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const ruleFileSchema = z.object({
  groups: z.array(z.object({ name: z.string(), rules: z.array(ruleSchema) })),
});

type Rule = z.infer<typeof ruleSchema> & { readonly file: string };

const expectedAlertSchema = z.object({
  exp_labels: z.record(z.string(), z.string()).optional(),
  exp_annotations: z.record(z.string(), z.string()).optional(),
});

const ruleTestFileSchema = z.object({
  rule_files: z.array(z.string()),
  tests: z.array(
    z.object({
      name: z.string().optional(),
      input_series: z.array(z.object({ series: z.string(), values: z.string() })).optional(),
      alert_rule_test: z
        .array(z.object({ alertname: z.string(), exp_alerts: z.array(expectedAlertSchema).nullish() }))
        .optional(),
    }),
  ),
});

type RuleTestFile = z.infer<typeof ruleTestFileSchema> & { readonly file: string };

const yamlFiles = (dir: string, suffix: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => join(dir, name));

function ruleFiles(): string[] {
  return yamlFiles(RULES_DIR, '.yml');
}

function ruleTestFiles(): string[] {
  return yamlFiles(RULE_TESTS_DIR, '.test.yml');
}

function loadRules(files = ruleFiles()): Rule[] {
  return files.flatMap((file) =>
    ruleFileSchema
      .parse(parse(readFileSync(file, 'utf8')))
      .groups.flatMap((group) => group.rules.map((rule) => ({ ...rule, file }))),
  );
}

function loadRuleTests(files = ruleTestFiles()): RuleTestFile[] {
  return files.map((file) => ({ ...ruleTestFileSchema.parse(parse(readFileSync(file, 'utf8'))), file }));
}

const alertRules = (rules: readonly Rule[]) => rules.filter((rule) => rule.alert !== undefined);
const recordingRules = (rules: readonly Rule[]) => rules.filter((rule) => rule.record !== undefined);

export type { Rule, RuleTestFile };
export { alertRules, loadRules, loadRuleTests, recordingRules, ruleFiles, ruleTestFiles };
