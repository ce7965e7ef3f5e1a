import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OBSERVABILITY_DIR = join(REPO_ROOT, 'observability');
const PROMETHEUS_DIR = join(OBSERVABILITY_DIR, 'prometheus');
const RULES_DIR = join(PROMETHEUS_DIR, 'rules');
const RULE_TESTS_DIR = join(PROMETHEUS_DIR, 'tests');
const RUNBOOKS_DIR = join(OBSERVABILITY_DIR, 'runbooks');
const GRAFANA_DIR = join(OBSERVABILITY_DIR, 'grafana');
const DASHBOARD_PATH = join(GRAFANA_DIR, 'ingesta.json');
const FLEET_DASHBOARD_PATH = join(GRAFANA_DIR, 'fleet.json');
const METRICS_PATH = join(OBSERVABILITY_DIR, 'metrics.json');
const README_PATH = join(OBSERVABILITY_DIR, 'README.md');

export {
  DASHBOARD_PATH,
  FLEET_DASHBOARD_PATH,
  GRAFANA_DIR,
  METRICS_PATH,
  OBSERVABILITY_DIR,
  PROMETHEUS_DIR,
  README_PATH,
  REPO_ROOT,
  RULE_TESTS_DIR,
  RULES_DIR,
  RUNBOOKS_DIR,
};
