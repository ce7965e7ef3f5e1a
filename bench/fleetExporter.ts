/**
 * A small exporter for the fleet scale run: N systems, each the registry `npm start` serves (pipeline metrics,
 * queue depths, process defaults, all labelled with its service), fed with synthetic traffic every second.
 * System i is served at /systems/<name>/metrics, so Prometheus scrapes N targets, as it would N runtimes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalMetrics, type LocalMetrics, type QueueDepths } from '#local/localMetrics.ts';

interface FleetSystem {
  readonly name: string;
  readonly path: string;
  readonly metrics: LocalMetrics;
  readonly burning: boolean;
}

interface FleetExporter {
  readonly port: number;
  readonly systems: readonly FleetSystem[];
  stop(): Promise<void>;
}

/** Deterministic pseudo-random numbers, so every run feeds the same traffic. */
const rng = (seed: number) => {
  let state = seed;
  return (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
};

const systemName = (index: number): string => `sys-${String(index + 1).padStart(3, '0')}`;

/**
 * One second of a busy system: reads, writes, client errors, the odd 405, health probes, batches with fresh events.
 * A burning system answers 10% of its reads 5xx and serves a fifth of them slower than 250 ms.
 */
function tick(system: FleetSystem, random: () => number): void {
  const { pipeline } = system.metrics;
  const ms = (base: number) => base * (0.5 + random());
  const read = (route: string, status: number) =>
    pipeline.apiRequest({
      route,
      method: 'GET',
      status,
      durationMs: system.burning && random() < 0.2 ? 300 + ms(200) : ms(8),
    });
  for (let i = 0; i < 20; i += 1) read('/users', system.burning && random() < 0.1 ? 503 : 200);
  for (let i = 0; i < 10; i += 1) read('/users/{id}', random() < 0.1 ? 404 : 200);
  for (let i = 0; i < 10; i += 1)
    pipeline.apiRequest({ route: '/users', method: 'POST', status: 202, durationMs: ms(15) });
  pipeline.apiRequest({ route: '/users', method: 'POST', status: 400, durationMs: ms(1) });
  pipeline.apiRequest({ route: '/users', method: 'GET', status: 400, durationMs: ms(1) });
  pipeline.apiRequest({ route: '/users/{id}', method: 'DELETE', status: 405, durationMs: ms(1) });
  pipeline.apiRequest({ route: 'unmatched', method: 'GET', status: 404, durationMs: ms(1) });
  pipeline.apiRequest({ route: '/health', method: 'GET', status: 200, durationMs: ms(2) });
  pipeline.subscriberBatch({
    written: 9,
    unchanged: 1,
    failed: 0,
    durationMs: ms(20),
    eventAgesMs: Array.from({ length: 10 }, () => ms(400)),
    result: 'ok',
  });
}

/** A system whose queues are drained: the exporter serves the series, the queue gauges read zero. */
const quietQueue = (name: string): QueueDepths => ({
  name,
  stats: async () => ({ name, visible: 0, inFlight: 0, total: 0 }),
});

async function startFleetExporter(count: number, burning: ReadonlySet<number>): Promise<FleetExporter> {
  const systems: FleetSystem[] = Array.from({ length: count }, (_, index) => {
    const name = systemName(index);
    const dlq = quietQueue('ingesta-users-dlq');
    const queue = quietQueue('ingesta-users');
    return {
      name,
      path: `/systems/${name}/metrics`,
      metrics: createLocalMetrics([queue, dlq], { service: name }),
      burning: burning.has(index),
    };
  });
  const random = rng(42);
  for (const system of systems) tick(system, random);
  const timer = setInterval(() => {
    for (const system of systems) tick(system, random);
  }, 1_000);

  const byPath = new Map(systems.map((system) => [system.path, system]));
  const server: Server = createServer((request, response) => {
    const system = byPath.get(request.url ?? '');
    if (system === undefined) {
      response.writeHead(404).end();
      return;
    }
    system.metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': system.metrics.registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as AddressInfo).port,
    systems,
    stop: async () => {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type { FleetExporter, FleetSystem };
export { quietQueue, startFleetExporter, systemName, tick };
