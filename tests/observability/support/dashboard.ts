import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DASHBOARD_PATH } from './paths.ts';

const targetSchema = z.object({ refId: z.string(), expr: z.string().min(1) });

const panelSchema = z.object({
  type: z.string(),
  title: z.string(),
  targets: z.array(targetSchema).optional(),
});

const dashboardSchema = z.object({
  uid: z.string().min(1),
  title: z.string().min(1),
  panels: z.array(panelSchema).min(1),
});

type Dashboard = z.infer<typeof dashboardSchema>;

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

function panelQueries(dashboard: Dashboard): PanelQuery[] {
  return dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })),
  );
}

export type { Dashboard, PanelQuery };
export { loadDashboard, panelQueries, parseDashboard };
