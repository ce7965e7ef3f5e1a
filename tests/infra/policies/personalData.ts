import { dataSources, resources, type TfModule } from '../support/hcl.ts';
import { nested, referencedNames, resourceNamed, stringList, violation } from './helpers.ts';
import type { Policy, Violation } from './types.ts';

const EMAIL_ADDRESS = 'arn:aws:dataprotection::aws:data-identifier/EmailAddress';
const DOCUMENT = 'aws_cloudwatch_log_data_protection_policy_document';

/** Problems of a data protection policy document: it must audit and mask (deidentify) EmailAddress. */
function documentProblems(module: TfModule, names: readonly string[]): string[] {
  const document = dataSources(module, DOCUMENT).find((candidate) => names.includes(candidate.name));
  if (!document) return [`policy_document must come from a data.${DOCUMENT}`];
  const onEmails = nested(document.body, 'statement').filter((statement) =>
    (stringList(module, statement.data_identifiers) ?? []).includes(EMAIL_ADDRESS),
  );
  const problems: string[] = [];
  if (!onEmails.some((statement) => nested(statement, 'operation', 'audit').length > 0))
    problems.push(`data.${DOCUMENT}.${document.name} needs an Audit statement on EmailAddress`);
  if (!onEmails.some((statement) => nested(statement, 'operation', 'deidentify', 'mask_config').length > 0))
    problems.push(
      `data.${DOCUMENT}.${document.name} does not mask EmailAddress (Deidentify with mask_config)`,
    );
  return problems;
}

const logsMaskEmails: Policy = {
  id: 'logs-mask-emails',
  title: "Each function's log group has a data protection policy that masks email addresses",
  async check(module: TfModule) {
    const out: Violation[] = [];
    const protections = await Promise.all(
      resources(module, 'aws_cloudwatch_log_data_protection_policy').map(async (protection) => ({
        protection,
        groups: await referencedNames(protection.body.log_group_name, 'aws_cloudwatch_log_group'),
        documents: await referencedNames(protection.body.policy_document, DOCUMENT, true),
      })),
    );
    for (const fn of resources(module, 'aws_lambda_function')) {
      const logging = nested(fn.body, 'logging_config')[0];
      const group = (await referencedNames(logging?.log_group, 'aws_cloudwatch_log_group'))[0];
      if (group === undefined || !resourceNamed(module, 'aws_cloudwatch_log_group', group)) {
        out.push(
          violation(this.id, fn, 'logs to no managed log group, so no data protection policy covers it'),
        );
        continue;
      }
      const covering = protections.filter(({ groups }) => groups.includes(group));
      if (covering.length === 0) {
        out.push(
          violation(
            this.id,
            fn,
            `log group aws_cloudwatch_log_group.${group} needs an aws_cloudwatch_log_data_protection_policy`,
          ),
        );
      }
      for (const { protection, documents } of covering) {
        for (const problem of documentProblems(module, documents))
          out.push(violation(this.id, protection, problem));
      }
    }
    return out;
  },
};

export { logsMaskEmails };
