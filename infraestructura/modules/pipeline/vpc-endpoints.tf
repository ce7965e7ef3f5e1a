# Interface endpoints let the Lambdas in private subnets reach SNS, SQS and Secrets Manager without NAT.

locals {
  vpc_endpoint_services = var.create_vpc && var.enable_vpc_endpoints ? toset(["sns", "sqs", "secretsmanager"]) : toset([])
}

resource "aws_security_group" "vpc_endpoints" {
  count = length(local.vpc_endpoint_services) > 0 ? 1 : 0

  name_prefix = "${var.name}-vpce-"
  description = "HTTPS from the ${var.name} Lambdas to the VPC interface endpoints"
  vpc_id      = local.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-vpce" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "vpc_endpoints_https" {
  count = length(local.vpc_endpoint_services) > 0 ? 1 : 0

  security_group_id            = aws_security_group.vpc_endpoints[0].id
  description                  = "HTTPS from the Lambdas"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.lambda.id
}

resource "aws_vpc_endpoint" "this" {
  for_each = local.vpc_endpoint_services

  vpc_id              = local.vpc_id
  service_name        = "com.amazonaws.${local.region}.${each.value}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = local.private_subnet_ids
  security_group_ids  = [aws_security_group.vpc_endpoints[0].id]

  tags = merge(local.tags, { Name = "${var.name}-${each.value}" })
}
