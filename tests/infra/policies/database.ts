import { blocksOf, resources, type TfBlock, type TfModule } from '../support/hcl.ts';
import { describeSource, sourcesOf } from '../support/sources.ts';
import { expandedReferences, nested, referencedNames, resourceNamed, violation } from './helpers.ts';
import { publicSubnets } from './network.ts';
import type { Policy, Violation } from './types.ts';

const dbNotPublic: Policy = {
  id: 'db-not-public',
  title: 'Database instances are not publicly accessible',
  async check(module) {
    return [...resources(module, 'aws_rds_cluster_instance'), ...resources(module, 'aws_db_instance')]
      .filter((instance) => instance.body.publicly_accessible !== false)
      .map((instance) => violation(this.id, instance, 'publicly_accessible must be explicitly false'));
  },
};

const dbPrivateSubnets: Policy = {
  id: 'db-private-subnets',
  title: 'The database sits in private subnets only',
  async check(module) {
    const out: Violation[] = [];
    const publics = await publicSubnets(module);
    for (const cluster of resources(module, 'aws_rds_cluster')) {
      const groups = await referencedNames(cluster.body.db_subnet_group_name, 'aws_db_subnet_group');
      const group = groups[0] ? resourceNamed(module, 'aws_db_subnet_group', groups[0]) : undefined;
      if (group === undefined) {
        out.push(
          violation(this.id, cluster, 'db_subnet_group_name must reference a declared aws_db_subnet_group'),
        );
        continue;
      }
      const references = await expandedReferences(module, group.body.subnet_ids);
      const subnets = references
        .filter((reference) => reference.startsWith('aws_subnet.'))
        .map((ref) => ref.slice(11));
      const leaking = subnets.filter((subnet) => publics.has(subnet));
      if (leaking.length > 0)
        out.push(violation(this.id, group, `uses public subnets: ${leaking.join(', ')}`));
      const privateInput = references.some((reference) => /^var\..*private/.test(reference));
      if (subnets.length === 0 && !privateInput) {
        out.push(violation(this.id, group, 'subnet_ids must come from private subnets'));
      }
    }
    return out;
  },
};

const dbManagedPassword: Policy = {
  id: 'db-managed-master-password',
  title: 'RDS manages the master password in Secrets Manager',
  async check(module) {
    const out: Violation[] = [];
    for (const cluster of [
      ...resources(module, 'aws_rds_cluster'),
      ...resources(module, 'aws_db_instance'),
    ]) {
      if (cluster.body.manage_master_user_password !== true) {
        out.push(violation(this.id, cluster, 'manage_master_user_password must be true'));
      }
      for (const key of ['master_password', 'master_password_wo', 'password']) {
        if (key in cluster.body) out.push(violation(this.id, cluster, `${key} must not be set`));
      }
    }
    return out;
  },
};

const dbForceSsl: Policy = {
  id: 'db-force-ssl',
  title: 'The cluster parameter group forces TLS (rds.force_ssl = 1)',
  async check(module) {
    const out: Violation[] = [];
    for (const cluster of resources(module, 'aws_rds_cluster')) {
      const names = await referencedNames(
        cluster.body.db_cluster_parameter_group_name,
        'aws_rds_cluster_parameter_group',
      );
      const group = names[0] ? resourceNamed(module, 'aws_rds_cluster_parameter_group', names[0]) : undefined;
      const forced = group
        ? blocksOf(group.body.parameter).some(
            (parameter) => parameter.name === 'rds.force_ssl' && String(parameter.value) === '1',
          )
        : false;
      if (!forced)
        out.push(violation(this.id, cluster, 'needs a cluster parameter group with rds.force_ssl = 1'));
    }
    return out;
  },
};

/** Security groups the Lambda functions run with (vpc_config.security_group_ids, resolved). */
async function lambdaSecurityGroups(module: TfModule): Promise<Set<string>> {
  const out = new Set<string>();
  for (const fn of resources(module, 'aws_lambda_function')) {
    for (const vpc of nested(fn.body, 'vpc_config')) {
      for (const source of await sourcesOf(module, vpc.security_group_ids)) {
        if (source.kind === 'resource' && source.type === 'aws_security_group') out.add(source.name);
      }
    }
  }
  return out;
}

const dbIngressFromLambdaOnly: Policy = {
  id: 'db-ingress-lambda-only',
  title: "The database security group admits 5432 from the Lambda functions' security group only",
  async check(module) {
    const out: Violation[] = [];
    const lambdaGroups = await lambdaSecurityGroups(module);
    for (const cluster of resources(module, 'aws_rds_cluster')) {
      const groups = await referencedNames(cluster.body.vpc_security_group_ids, 'aws_security_group');
      if (groups.length === 0)
        out.push(violation(this.id, cluster, 'vpc_security_group_ids must reference a security group'));
      for (const group of groups) {
        const rules: TfBlock[] = [];
        for (const rule of resources(module, 'aws_vpc_security_group_ingress_rule')) {
          if ((await referencedNames(rule.body.security_group_id, 'aws_security_group')).includes(group))
            rules.push(rule);
        }
        const inline = resourceNamed(module, 'aws_security_group', group);
        if (inline && nested(inline.body, 'ingress').length > 0) {
          out.push(
            violation(this.id, inline, 'inline ingress blocks are not allowed; use ingress rule resources'),
          );
        }
        if (rules.length === 0)
          out.push(violation(this.id, `aws_security_group.${group}`, 'has no ingress rule'));
        for (const rule of rules) {
          const body = rule.body;
          const sources = await sourcesOf(module, body.referenced_security_group_id);
          if (
            sources.length === 0 ||
            'cidr_ipv4' in body ||
            'cidr_ipv6' in body ||
            'prefix_list_id' in body
          ) {
            out.push(violation(this.id, rule, 'must admit a referenced security group only, never a CIDR'));
          }
          for (const source of sources) {
            const name = describeSource(source);
            const isGroup = source.kind === 'resource' && source.type === 'aws_security_group';
            if (isGroup && groups.includes(source.name)) {
              out.push(violation(this.id, rule, `admits ${name}, the database's own group`));
            } else if (!isGroup) {
              out.push(
                violation(this.id, rule, `admits ${name}, which is not a security group of this module`),
              );
            } else if (!lambdaGroups.has(source.name)) {
              out.push(violation(this.id, rule, `admits ${name}, which no Lambda function uses`));
            }
          }
          if (body.from_port !== 5432 || body.to_port !== 5432 || body.ip_protocol !== 'tcp') {
            out.push(violation(this.id, rule, 'must admit tcp 5432 only'));
          }
        }
      }
    }
    return out;
  },
};

export { dbForceSsl, dbIngressFromLambdaOnly, dbManagedPassword, dbNotPublic, dbPrivateSubnets };
