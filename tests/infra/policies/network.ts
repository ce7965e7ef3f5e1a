import { blocksOf, type HclValue, resources, type TfModule } from '../support/hcl.ts';
import { describeSource, type Source, sourcesOf } from '../support/sources.ts';
import { scalarOf } from './helpers.ts';
import type { PolicyContext } from './types.ts';

const ROUTE_TABLE_TYPES = new Set(['aws_route_table', 'aws_default_route_table']);

/** A route's gateway leads to the internet unless it is shown to be a VPN gateway or the local route. */
async function reachesInternet(module: TfModule, gateway: HclValue | undefined): Promise<boolean> {
  const notInternet = (source: Source): boolean =>
    (source.kind === 'resource' && source.type === 'aws_vpn_gateway') ||
    (source.kind === 'literal' && (source.text === 'local' || source.text.startsWith('vgw-')));
  const sources = await sourcesOf(module, gateway);
  return sources.some((source) => !notInternet(source));
}

async function routeTablesIn(module: TfModule, value: HclValue | undefined): Promise<string[]> {
  return (await sourcesOf(module, value))
    .filter((source) => source.kind === 'resource' && ROUTE_TABLE_TYPES.has(source.type))
    .map(describeSource);
}

/** Route tables (as type.name) with a route to an internet gateway, inline or as aws_route. */
async function internetRouteTables(module: TfModule): Promise<Set<string>> {
  const out = new Set<string>();
  for (const route of resources(module, 'aws_route')) {
    if (!(await reachesInternet(module, route.body.gateway_id))) continue;
    for (const table of await routeTablesIn(module, route.body.route_table_id)) out.add(table);
  }
  for (const table of [
    ...resources(module, 'aws_route_table'),
    ...resources(module, 'aws_default_route_table'),
  ]) {
    for (const route of blocksOf(table.body.route)) {
      if (await reachesInternet(module, route.gateway_id)) out.add(`${table.type}.${table.name}`);
    }
  }
  return out;
}

/**
 * Subnets that are public, each with the reason: they map public IPs at launch (or may), or a route table
 * they use routes to an internet gateway. A subnet with no association uses the main route table, which
 * this module may replace (aws_main_route_table_association) or manage (aws_default_route_table).
 */
async function publicSubnets(module: TfModule, context?: PolicyContext): Promise<Map<string, string>> {
  const internet = await internetRouteTables(module);
  const mainTables = resources(module, 'aws_default_route_table').map(
    (table) => `${table.type}.${table.name}`,
  );
  for (const association of resources(module, 'aws_main_route_table_association'))
    mainTables.push(...(await routeTablesIn(module, association.body.route_table_id)));
  const internetMain = mainTables.find((table) => internet.has(table));

  const tablesOf = new Map<string, string[]>();
  for (const association of resources(module, 'aws_route_table_association')) {
    const tables = await routeTablesIn(module, association.body.route_table_id);
    for (const source of await sourcesOf(module, association.body.subnet_id)) {
      if (source.kind !== 'resource' || source.type !== 'aws_subnet') continue;
      tablesOf.set(source.name, [...(tablesOf.get(source.name) ?? []), ...tables]);
    }
  }

  const out = new Map<string, string>();
  for (const subnet of resources(module, 'aws_subnet')) {
    const mapsPublic = subnet.body.map_public_ip_on_launch;
    const maps = mapsPublic === undefined ? false : await scalarOf(module, mapsPublic, context);
    const tables = tablesOf.get(subnet.name);
    const internetTable = tables?.find((table) => internet.has(table));
    if (maps !== false) out.set(subnet.name, 'map_public_ip_on_launch');
    else if (internetTable) out.set(subnet.name, `${internetTable} routes to an internet gateway`);
    else if (tables === undefined && internetMain)
      out.set(
        subnet.name,
        `no route table association, and the main table ${internetMain} routes to an internet gateway`,
      );
  }
  return out;
}

/**
 * Why a list of subnet ids is not made of private subnets, one line per source that is not: a public
 * subnet of this module, an undeclared one, or anything else than a subnet. A module input counts as
 * private when its description says so: the caller owns what it passes.
 */
async function privateSubnetProblems(
  module: TfModule,
  value: HclValue | undefined,
  context?: PolicyContext,
): Promise<string[]> {
  const sources = await sourcesOf(module, value);
  if (sources.length === 0) return ['resolve to no subnet'];
  const publics = await publicSubnets(module, context);
  const declaredSubnets = new Set(resources(module, 'aws_subnet').map((subnet) => subnet.name));
  const inputs = new Map(
    module.blocks.filter((block) => block.kind === 'variable').map((block) => [block.name, block]),
  );
  const out: string[] = [];
  for (const source of sources) {
    const name = describeSource(source);
    if (source.kind === 'resource' && source.type === 'aws_subnet') {
      const reason = publics.get(source.name);
      if (!declaredSubnets.has(source.name)) out.push(`include ${name}, which is not declared`);
      else if (reason !== undefined) out.push(`include ${name}, a public subnet (${reason})`);
    } else if (source.kind === 'variable') {
      const description = inputs.get(source.name)?.body.description;
      if (typeof description !== 'string' || !/private subnet/i.test(description))
        out.push(`include ${name}, an input not documented as private subnets`);
    } else {
      out.push(`include ${name}, which is not a private subnet of this module`);
    }
  }
  return out;
}

export { privateSubnetProblems, publicSubnets };
