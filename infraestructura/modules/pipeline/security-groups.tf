# Lambdas may reach the database on 5432 and AWS APIs on 443; the database admits only the Lambdas.

resource "aws_security_group" "lambda" {
  name_prefix = "${var.name}-lambda-"
  description = "The ${var.name} API and subscriber functions"
  vpc_id      = local.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-lambda" })

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = var.create_vpc || (var.vpc_id != null && length(var.private_subnet_ids) >= 2)
      error_message = "With create_vpc = false, set vpc_id and at least two private_subnet_ids."
    }
    precondition {
      condition     = !var.create_vpc || var.nat_gateway_mode != "none" || var.enable_vpc_endpoints
      error_message = "nat_gateway_mode = none leaves the Lambdas without a path to SNS and Secrets Manager; set enable_vpc_endpoints."
    }
  }
}

resource "aws_vpc_security_group_egress_rule" "lambda_https" {
  security_group_id = aws_security_group.lambda.id
  description       = "AWS APIs (SNS, Secrets Manager) through the endpoints or NAT"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "lambda_postgres" {
  security_group_id            = aws_security_group.lambda.id
  description                  = "PostgreSQL on the Aurora cluster"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.db.id
}

resource "aws_security_group" "db" {
  name_prefix = "${var.name}-db-"
  description = "Aurora PostgreSQL for ${var.name}: 5432 from the Lambdas only"
  vpc_id      = local.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-db" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "db_from_lambda" {
  security_group_id            = aws_security_group.db.id
  description                  = "PostgreSQL from the Lambdas"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.lambda.id
}

# With RDS Proxy: the Lambdas reach the proxy on 5432, and only the proxy (besides the Lambdas) reaches the database.
resource "aws_security_group" "rds_proxy" {
  #checkov:skip=CKV2_AWS_5:Attached to the RDS Proxy and its reader endpoint (vpc_security_group_ids in connections.tf)
  count = var.create_rds_proxy ? 1 : 0

  name_prefix = "${var.name}-rds-proxy-"
  description = "RDS Proxy for ${var.name}: 5432 from the Lambdas, 5432 to the database"
  vpc_id      = local.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-rds-proxy" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "rds_proxy_from_lambda" {
  count = var.create_rds_proxy ? 1 : 0

  security_group_id            = aws_security_group.rds_proxy[0].id
  description                  = "PostgreSQL from the Lambdas"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.lambda.id
}

resource "aws_vpc_security_group_egress_rule" "rds_proxy_to_db" {
  count = var.create_rds_proxy ? 1 : 0

  security_group_id            = aws_security_group.rds_proxy[0].id
  description                  = "PostgreSQL on the Aurora cluster"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.db.id
}

resource "aws_vpc_security_group_egress_rule" "lambda_rds_proxy" {
  count = var.create_rds_proxy ? 1 : 0

  security_group_id            = aws_security_group.lambda.id
  description                  = "PostgreSQL through the RDS Proxy"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.rds_proxy[0].id
}

resource "aws_vpc_security_group_ingress_rule" "db_from_rds_proxy" {
  count = var.create_rds_proxy ? 1 : 0

  security_group_id            = aws_security_group.db.id
  description                  = "PostgreSQL from the RDS Proxy"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.rds_proxy[0].id
}
