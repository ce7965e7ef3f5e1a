import { type HclValue, isExpression, isObject, type TfModule } from '../support/hcl.ts';
import { violation } from './helpers.ts';
import type { Policy, Violation } from './types.ts';

const SECRET_KEY = /(password|passwd|secret|token|private_key|access_key|api_key)/i;
/** Keys that name or point at a secret, or name how one is checked (`client_password_auth_type`), without holding it. */
const REFERENCE_KEY =
  /(_arn|_id|_ids|_name|_kms_key_id|_enabled|_auth_type)$|^manage_master_user_password$|^description$/i;
const SECRET_VALUE = [/AKIA[0-9A-Z]{16}/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, /ghp_[A-Za-z0-9]{36}/];

function scan(value: HclValue, path: string, file: string, id: string, out: Violation[]): void {
  if (typeof value === 'string') {
    if (SECRET_VALUE.some((pattern) => pattern.test(value))) {
      out.push(violation(id, `${path} (${file})`, 'looks like a credential'));
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      scan(item, `${path}[${index}]`, file, id, out);
    });
    return;
  }
  if (!isObject(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    const where = path ? `${path}.${key}` : key;
    const literal = typeof inner === 'string' && inner !== '' && !isExpression(inner);
    if (SECRET_KEY.test(key) && !REFERENCE_KEY.test(key) && literal) {
      out.push(violation(id, `${where} (${file})`, 'a secret must not be written in a file'));
    }
    scan(inner, where, file, id, out);
  }
}

const noLiteralSecrets: Policy = {
  id: 'no-literal-secrets',
  title: 'No password, secret or key is written in any file or variable default',
  async check(module: TfModule) {
    const out: Violation[] = [];
    for (const file of module.files) scan(file.body, '', file.path, this.id, out);
    for (const variable of module.blocks.filter((block) => block.kind === 'variable')) {
      const defaulted = variable.body.default !== undefined && variable.body.default !== null;
      if (SECRET_KEY.test(variable.name) && !REFERENCE_KEY.test(variable.name) && defaulted) {
        out.push(violation(this.id, variable, 'a secret variable must not have a default'));
      }
      if (/password/i.test(variable.name)) {
        out.push(
          violation(this.id, variable, 'passwords must not pass through variables (use a managed secret)'),
        );
      }
    }
    for (const output of module.blocks.filter((block) => block.kind === 'output')) {
      if (typeof output.body.value === 'string' && /password|secret_string/i.test(output.body.value)) {
        out.push(violation(this.id, output, 'outputs must not expose a secret value'));
      }
    }
    return out;
  },
};

export { noLiteralSecrets };
