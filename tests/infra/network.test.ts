import { describe, expect, it } from 'vitest';
import { privateSubnetProblems, publicSubnets } from './policies/network.ts';
import { moduleFromSnippets } from './support/hcl.ts';

const NETWORK = `
  resource "aws_internet_gateway" "this" {}
  resource "aws_nat_gateway" "this" {}
  resource "aws_subnet" "behind_nat" {}
  resource "aws_subnet" "unassociated" {}
  resource "aws_route_table" "nat" {}
  resource "aws_route" "nat" {
    route_table_id         = aws_route_table.nat.id
    destination_cidr_block = "0.0.0.0/0"
    nat_gateway_id         = aws_nat_gateway.this.id
  }
  resource "aws_route_table_association" "behind_nat" {
    subnet_id      = aws_subnet.behind_nat.id
    route_table_id = aws_route_table.nat.id
  }
`;

describe('which subnets are public', () => {
  it('keeps a subnet whose only default route goes through NAT private', async () => {
    const module = await moduleFromSnippets({ 'vpc.tf': NETWORK });

    expect(await publicSubnets(module)).toEqual(new Map());
  });

  it('counts a subnet without association as public when the main route table reaches the internet', async () => {
    const main = `
      resource "aws_default_route_table" "main" {
        route {
          cidr_block = "0.0.0.0/0"
          gateway_id = aws_internet_gateway.this.id
        }
      }`;
    const module = await moduleFromSnippets({ 'vpc.tf': NETWORK + main });

    expect(await publicSubnets(module)).toEqual(
      new Map([
        [
          'unassociated',
          'no route table association, and the main table aws_default_route_table.main routes to an internet gateway',
        ],
      ]),
    );
  });

  it('counts a gateway it cannot identify as an internet gateway', async () => {
    const route = `
      variable "gateway_id" {
        type = string
      }
      resource "aws_route" "unknown" {
        route_table_id = aws_route_table.nat.id
        gateway_id     = var.gateway_id
      }`;
    const module = await moduleFromSnippets({ 'vpc.tf': NETWORK + route });

    expect(await publicSubnets(module)).toEqual(
      new Map([['behind_nat', 'aws_route_table.nat routes to an internet gateway']]),
    );
  });

  it('accepts a module input only when its description promises private subnets', async () => {
    const inputs = `
      variable "private_subnet_ids" {
        description = "Existing private subnets of the shared VPC."
        type        = list(string)
      }
      variable "private_ids" {
        description = "Subnets to run in."
        type        = list(string)
      }
      resource "x" "probe" {
        value = concat(var.private_subnet_ids, var.private_ids, ["subnet-0abc"])
      }`;
    const module = await moduleFromSnippets({ 'vpc.tf': NETWORK + inputs });
    const probe = module.blocks.find((block) => block.name === 'probe');

    expect(await privateSubnetProblems(module, probe?.body.value)).toEqual([
      'include var.private_ids, an input not documented as private subnets',
      'include subnet-0abc, which is not a private subnet of this module',
    ]);
  });
});
