import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DASHBOARD_PATH, FLEET_DASHBOARD_PATH } from './paths.ts';

const targetSchema = z.object({
  refId: z.string(),
  expr: z.string().min(1),
  instant: z.boolean().optional(),
  format: z.string().optional(),
});

const transformationSchema = z.object({ id: z.string(), options: z.record(z.string(), z.unknown()) });

const panelSchema = z.object({
  type: z.string(),
  title: z.string(),
  targets: z.array(targetSchema).optional(),
  transformations: z.array(transformationSchema).optional(),
});

const variableSchema = z.object({
  name: z.string(),
  type: z.string(),
  multi: z.boolean().optional(),
  includeAll: z.boolean().optional(),
  definition: z.string().optional(),
});

const dashboardSchema = z.object({
  uid: z.string().min(1),
  title: z.string().min(1),
  templating: z.object({ list: z.array(variableSchema) }),
  panels: z.array(panelSchema).min(1),
});

type Dashboard = z.infer<typeof dashboardSchema>;
type Panel = z.infer<typeof panelSchema>;

interface PanelQuery {
  readonly panel: string;
  readonly expr: string;
}

function parseDashboard(text: string): Dashboard {
  return dashboardSchema.parse(JSON.parse(text));
}

function loadDashboard(path = DASHBOARD_PATH): Dashboard {
  return parseDashboard(readFileSync(path, 'utf8'));
}

/** Every dashboard Grafana provisioning loads: the per-system one and the fleet. */
function loadDashboards(): Dashboard[] {
  return [DASHBOARD_PATH, FLEET_DASHBOARD_PATH].map((path) => loadDashboard(path));
}

function panelQueries(dashboard: Dashboard): PanelQuery[] {
  return dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })),
  );
}

function panelNamed(dashboard: Dashboard, title: string): Panel {
  const panel = dashboard.panels.find((candidate) => candidate.title === title);
  if (panel === undefined) throw new Error(`${dashboard.uid} has no panel "${title}"`);
  return panel;
}

export type { Dashboard, Panel, PanelQuery };
export { loadDashboard, loadDashboards, panelNamed, panelQueries, parseDashboard };
