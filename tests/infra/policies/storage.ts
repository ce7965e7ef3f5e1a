import { resources, type TfBlock, type TfModule } from '../support/hcl.ts';
import {
  nested,
  policyDocuments,
  referencedNames,
  resourceNamed,
  statementsOf,
  stringList,
  violation,
} from './helpers.ts';
import type { Policy, Violation } from './types.ts';

/** The `type` resources configuring bucket `name` (their `bucket` references it). */
async function configsOf(module: TfModule, type: string, name: string): Promise<TfBlock[]> {
  const out: TfBlock[] = [];
  for (const config of resources(module, type)) {
    if ((await referencedNames(config.body.bucket, 'aws_s3_bucket')).includes(name)) out.push(config);
  }
  return out;
}

const s3BucketEncrypted: Policy = {
  id: 's3-bucket-encrypted',
  title: "Every S3 bucket encrypts by default with the system's KMS key",
  async check(module) {
    const out: Violation[] = [];
    for (const bucket of resources(module, 'aws_s3_bucket')) {
      const rules = (
        await configsOf(module, 'aws_s3_bucket_server_side_encryption_configuration', bucket.name)
      ).flatMap((config) => nested(config.body, 'rule', 'apply_server_side_encryption_by_default'));
      const kms = [];
      for (const rule of rules) {
        const keys = await referencedNames(rule.kms_master_key_id, 'aws_kms_key');
        if (rule.sse_algorithm === 'aws:kms' && keys.length > 0) kms.push(rule);
      }
      if (kms.length === 0)
        out.push(
          violation(this.id, bucket, "needs SSE-KMS (aws:kms) with the module's aws_kms_key by default"),
        );
    }
    return out;
  },
};

const s3BucketVersioned: Policy = {
  id: 's3-bucket-versioned',
  title: 'Every S3 bucket keeps versions',
  async check(module) {
    const out: Violation[] = [];
    for (const bucket of resources(module, 'aws_s3_bucket')) {
      const enabled = (await configsOf(module, 'aws_s3_bucket_versioning', bucket.name)).some((config) =>
        nested(config.body, 'versioning_configuration').some((c) => c.status === 'Enabled'),
      );
      if (!enabled) out.push(violation(this.id, bucket, 'versioning_configuration.status must be Enabled'));
    }
    return out;
  },
};

const PUBLIC_ACCESS_FLAGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
] as const;

const s3BucketPrivate: Policy = {
  id: 's3-bucket-private',
  title: 'Every S3 bucket blocks public access and refuses requests without TLS',
  async check(module) {
    const out: Violation[] = [];
    for (const bucket of resources(module, 'aws_s3_bucket')) {
      const blocks = await configsOf(module, 'aws_s3_bucket_public_access_block', bucket.name);
      const open = PUBLIC_ACCESS_FLAGS.filter((flag) => !blocks.some((block) => block.body[flag] === true));
      if (open.length > 0)
        out.push(violation(this.id, bucket, `public access block must set ${open.join(', ')} = true`));

      let tlsOnly = false;
      for (const policy of await configsOf(module, 'aws_s3_bucket_policy', bucket.name)) {
        for (const name of await referencedNames(policy.body.policy, 'aws_iam_policy_document', true)) {
          const document = policyDocuments(module).find((candidate) => candidate.name === name);
          for (const statement of document ? statementsOf(document) : []) {
            const deniesPlainText = nested(statement, 'condition').some(
              (condition) =>
                condition.test === 'Bool' &&
                condition.variable === 'aws:SecureTransport' &&
                JSON.stringify(condition.values) === '["false"]',
            );
            const everything = (stringList(module, statement.actions) ?? []).includes('s3:*');
            const resourcesText = JSON.stringify(statement.resources ?? []);
            const bucketAndObjects =
              resourcesText.includes(`aws_s3_bucket.${bucket.name}.arn}"`) &&
              resourcesText.includes(`aws_s3_bucket.${bucket.name}.arn}/*`);
            if (statement.effect === 'Deny' && deniesPlainText && everything && bucketAndObjects)
              tlsOnly = true;
          }
        }
      }
      if (!tlsOnly)
        out.push(
          violation(
            this.id,
            bucket,
            'needs a bucket policy that denies s3:* on the bucket and its objects when aws:SecureTransport is false',
          ),
        );
    }
    return out;
  },
};

/** Policy documents attached to the deploy role. */
async function deployDocuments(module: TfModule): Promise<string[]> {
  const out: string[] = [];
  for (const policy of resources(module, 'aws_iam_role_policy')) {
    if (!(await referencedNames(policy.body.role, 'aws_iam_role')).includes('deploy')) continue;
    out.push(...(await referencedNames(policy.body.policy, 'aws_iam_policy_document', true)));
  }
  return out;
}

const deploySbomPrefixOnly: Policy = {
  id: 'deploy-sbom-prefix-only',
  title: "The deploy role may only put objects under the SBOM bucket's sbom/ prefix, and nothing else in S3",
  async check(module) {
    const out: Violation[] = [];
    const bucket = resourceNamed(module, 'aws_s3_bucket', 'sbom');
    if (bucket === undefined) return [violation(this.id, 'aws_s3_bucket.sbom', 'no SBOM bucket')];
    const documents = await deployDocuments(module);
    let writes = false;
    for (const document of policyDocuments(module).filter((d) => documents.includes(d.name))) {
      for (const statement of statementsOf(document)) {
        const actions = stringList(module, statement.actions) ?? [];
        const s3 = actions.filter((action) => action.toLowerCase().startsWith('s3:'));
        if (s3.length === 0) continue;
        for (const action of s3.filter((a) => a !== 's3:PutObject'))
          out.push(violation(this.id, document, `${action}: the deploy role only puts SBOMs`));
        // Every bucket ARN the resources name must be the SBOM bucket's, narrowed to sbom/<function>/*.
        const resourcesText = JSON.stringify(statement.resources ?? null);
        const arns = [...resourcesText.matchAll(/aws_s3_bucket\.(\w+)\.arn\}([^"\\]*)/g)];
        const scoped =
          arns.length > 0 &&
          arns.every(([, name, path]) => name === 'sbom' && /^\/sbom\/[^/*]+\/\*$/.test(path ?? ''));
        if (!scoped)
          out.push(
            violation(
              this.id,
              document,
              `s3 statement on ${resourcesText}: resources must be <sbom bucket ARN>/sbom/<function>/*`,
            ),
          );
        else writes = true;
      }
    }
    if (!writes)
      out.push(violation(this.id, 'aws_iam_role.deploy', 'the deploy role must be able to put SBOMs'));
    return out;
  },
};

export { deploySbomPrefixOnly, s3BucketEncrypted, s3BucketPrivate, s3BucketVersioned };
