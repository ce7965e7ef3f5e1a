/** The deploy's steps, in order; a failure names one of them. */
const DEPLOY_STEPS = {
  inspect: 'inspect',
  waitReady: 'wait-ready',
  create: 'create-function',
  update: 'update-code',
  waitUpdate: 'wait-update',
  publish: 'publish-version',
  waitVersion: 'wait-version',
  migrate: 'migrate',
  smoke: 'smoke',
  alias: 'move-alias',
} as const;

type DeployStep = (typeof DEPLOY_STEPS)[keyof typeof DEPLOY_STEPS];

export type { DeployStep };
export { DEPLOY_STEPS };
