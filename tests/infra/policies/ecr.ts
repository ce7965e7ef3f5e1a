import { resources, type TfModule } from '../support/hcl.ts';
import { nested, referencedNames, violation } from './helpers.ts';
import type { Policy, Violation } from './types.ts';

const ecrScanImmutable: Policy = {
  id: 'ecr-scan-immutable',
  title: 'ECR repositories scan on push, keep tags immutable and expire old images',
  async check(module: TfModule) {
    const out: Violation[] = [];
    const lifecycleTargets = new Set<string>();
    for (const policy of resources(module, 'aws_ecr_lifecycle_policy')) {
      const names = await referencedNames(policy.body.repository, 'aws_ecr_repository');
      // for_each over the repositories themselves: each.value.name
      const iterated = await referencedNames(policy.body.for_each, 'aws_ecr_repository');
      for (const name of [...names, ...iterated]) lifecycleTargets.add(name);
    }
    for (const repository of resources(module, 'aws_ecr_repository')) {
      if (repository.body.image_tag_mutability !== 'IMMUTABLE') {
        out.push(violation(this.id, repository, 'image_tag_mutability must be IMMUTABLE'));
      }
      const scanning = nested(repository.body, 'image_scanning_configuration')[0];
      if (scanning?.scan_on_push !== true)
        out.push(violation(this.id, repository, 'scan_on_push must be true'));
      if (!lifecycleTargets.has(repository.name))
        out.push(violation(this.id, repository, 'needs a lifecycle policy'));
    }
    return out;
  },
};

export { ecrScanImmutable };
