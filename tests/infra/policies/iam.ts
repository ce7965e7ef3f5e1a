import { TFExpressionSyntaxTree } from '@cdktf/hcl2json';
import { templateAst } from '../support/expressions.ts';
import { type HclValue, isExpression, isObject, resources, type TfModule } from '../support/hcl.ts';
import { nested, policyDocuments, referencedNames, statementsOf, stringList, violation } from './helpers.ts';
import type { Policy, Violation } from './types.ts';

type Ast = TFExpressionSyntaxTree.ExpressionType;

function isWildcardAction(action: string): boolean {
  return action === '*' || /^[a-z0-9-]+:\*$/i.test(action);
}

/** Action lists written inside jsonencode({...}) policies, as their literal strings. */
function jsonencodedActions(node: Ast, out: string[]): void {
  if (TFExpressionSyntaxTree.isObjectExpression(node)) {
    for (const [key, expression] of Object.entries(node.meta.items)) {
      if (/^"?(Action|NotAction)"?$/.test(key)) {
        for (const match of expression.matchAll(/"([^"]*)"/g)) if (match[1] !== undefined) out.push(match[1]);
        if (key.includes('NotAction')) out.push('NotAction');
      }
    }
  }
  for (const child of node.children ?? []) jsonencodedActions(child, out);
}

async function inlineActions(value: HclValue | undefined, out: string[]): Promise<void> {
  if (isExpression(value)) {
    const ast = await templateAst(value);
    if (ast) jsonencodedActions(ast, out);
  } else if (Array.isArray(value)) {
    for (const item of value) await inlineActions(item, out);
  } else if (isObject(value)) {
    for (const item of Object.values(value)) await inlineActions(item, out);
  }
}

const ADMIN_POLICIES = /(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

const noWildcardActions: Policy = {
  id: 'no-iam-wildcard-action',
  title:
    'No IAM statement allows "*" or a whole service ("svc:*"), nor uses NotAction (a Deny may name them)',
  async check(module: TfModule) {
    const out: Violation[] = [];
    for (const document of policyDocuments(module)) {
      for (const statement of statementsOf(document)) {
        // A Deny allows nothing: "s3:*" there is the usual TLS-only guard of a bucket.
        if (statement.effect === 'Deny') continue;
        const actions = stringList(module, statement.actions) ?? [];
        for (const action of actions.filter(isWildcardAction)) {
          out.push(violation(this.id, document, `wildcard action ${action}`));
        }
        if (statement.not_actions !== undefined)
          out.push(violation(this.id, document, 'not_actions is not allowed'));
      }
    }
    for (const block of module.blocks.filter(
      (candidate) => candidate.kind === 'resource' || candidate.kind === 'data',
    )) {
      const actions: string[] = [];
      for (const key of ['policy', 'assume_role_policy', 'inline_policy'])
        await inlineActions(block.body[key], actions);
      for (const action of actions.filter((a) => isWildcardAction(a) || a === 'NotAction')) {
        out.push(violation(this.id, block, `inline policy uses ${action}`));
      }
    }
    for (const attachment of [
      ...resources(module, 'aws_iam_role_policy_attachment'),
      ...resources(module, 'aws_iam_policy_attachment'),
    ]) {
      const arn = attachment.body.policy_arn;
      if (typeof arn === 'string' && ADMIN_POLICIES.test(arn))
        out.push(violation(this.id, attachment, `attaches ${arn}`));
    }
    return out;
  },
};

/** Actions AWS accepts only on Resource "*". Key policies are exempt: there "*" means the key itself. */
const RESOURCE_STAR_ONLY = new Set([
  'ecr:GetAuthorizationToken',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
]);

function commentedAbove(lines: readonly string[], index: number): boolean {
  // Walk up to the enclosing statement (and the line above it) looking for a comment.
  for (let line = index - 1; line >= 0 && line >= index - 12; line -= 1) {
    const text = (lines[line] ?? '').trim();
    if (text.startsWith('#') || text.startsWith('//')) return true;
    if (/^(dynamic\s+"statement"|statement)\s*\{/.test(text)) {
      const above = (lines[line - 1] ?? '').trim();
      return above.startsWith('#') || above.startsWith('//');
    }
  }
  return false;
}

const wildcardResourceJustified: Policy = {
  id: 'wildcard-resource-justified',
  title: 'Resource "*" appears only where AWS requires it, each with a comment',
  async check(module: TfModule) {
    const out: Violation[] = [];
    const keyPolicies = new Set<string>();
    for (const key of resources(module, 'aws_kms_key')) {
      for (const name of await referencedNames(key.body.policy, 'aws_iam_policy_document', true))
        keyPolicies.add(name);
    }
    for (const document of policyDocuments(module)) {
      for (const statement of statementsOf(document)) {
        const resourcesList = stringList(module, statement.resources) ?? [];
        if (!resourcesList.includes('*')) continue;
        const effect = statement.effect ?? 'Allow';
        const actions = stringList(module, statement.actions) ?? [];
        const required =
          keyPolicies.has(document.name) || actions.every((action) => RESOURCE_STAR_ONLY.has(action));
        if (effect === 'Allow' && !required) {
          out.push(
            violation(
              this.id,
              document,
              `Resource "*" for ${actions.join(', ')}, which accept narrower resources`,
            ),
          );
        }
      }
    }
    for (const file of module.files) {
      const lines = file.text.split('\n');
      lines.forEach((line, index) => {
        if (
          /(resources\s*=\s*\[\s*"\*"\s*\]|Resource\s*=\s*"\*")/.test(line) &&
          !commentedAbove(lines, index)
        ) {
          out.push(
            violation(this.id, `${file.path}:${index + 1}`, 'Resource "*" needs a comment saying why'),
          );
        }
      });
    }
    return out;
  },
};

/** The JSON text of a value plus that of every local it reaches, so subjects built in locals are seen. */
async function withLocalsExpanded(module: TfModule, value: HclValue | undefined): Promise<string> {
  const seen = new Set<string>();
  const texts: string[] = [];
  const visit = async (inner: HclValue | undefined): Promise<void> => {
    if (inner === undefined) return;
    texts.push(JSON.stringify(inner));
    for (const match of JSON.stringify(inner).matchAll(/local\.([A-Za-z0-9_]+)/g)) {
      const name = match[1] ?? '';
      if (seen.has(name)) continue;
      seen.add(name);
      await visit(module.locals.get(name)?.value);
    }
  };
  await visit(value);
  return texts.join('\n');
}

const deployTrustScoped: Policy = {
  id: 'deploy-trust-scoped',
  title: 'The GitHub OIDC deploy role trusts only this repository, with the STS audience',
  async check(module: TfModule) {
    const out: Violation[] = [];
    for (const document of policyDocuments(module)) {
      for (const statement of statementsOf(document)) {
        // A Deny allows nothing: "s3:*" there is the usual TLS-only guard of a bucket.
        if (statement.effect === 'Deny') continue;
        const actions = stringList(module, statement.actions) ?? [];
        if (!actions.includes('sts:AssumeRoleWithWebIdentity')) continue;
        const conditions = nested(statement, 'condition');
        const audience = conditions.find((c) => c.variable === 'token.actions.githubusercontent.com:aud');
        const subject = conditions.find((c) => c.variable === 'token.actions.githubusercontent.com:sub');
        if (!audience || JSON.stringify(audience.values) !== '["sts.amazonaws.com"]') {
          out.push(violation(this.id, document, 'needs aud = sts.amazonaws.com'));
        }
        const subjectText = await withLocalsExpanded(module, subject?.values);
        const repos = [...subjectText.matchAll(/repo:([^"\\]*)/g)].map((match) => match[1] ?? '');
        const scoped =
          repos.length > 0 && repos.every((repo) => /^(\$\{var\.[a-z_]+\}|[\w.-]+\/[\w.-]+):/.test(repo));
        if (!scoped) {
          out.push(violation(this.id, document, 'sub must be limited to repo:<owner>/<name>:...'));
        }
      }
    }
    return out;
  },
};

export { deployTrustScoped, noWildcardActions, wildcardResourceJustified };
