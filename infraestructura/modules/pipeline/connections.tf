# Database connections: the budget the functions may open, and the optional RDS Proxy in front of Aurora.

locals {
  # Aurora PostgreSQL sets max_connections to LEAST(DBInstanceClassMemory / 9531392, 5000) ("Managing Amazon Aurora
  # PostgreSQL"). On Serverless v2 that memory is the one of the MAXIMUM capacity setting, and a minimum of 0 or
  # 0.5 ACU caps the value at 2,000 ("Performance and scaling for Aurora Serverless v2", max connections). AWS's own
  # figures are 189 for a 0.5-1 ACU range and 3,360 for 1-16 ACU: 189 per maximum ACU stays below both, so the
  # budget counts on that. It follows the capacity range, not the current capacity.
  db_max_connections = min(floor(189 * var.db_max_capacity), var.db_min_capacity <= 0.5 ? 2000 : 5000)

  # Every function instance opens up to db_pool_max connections. The API is capped by its reserved concurrency, the
  # subscriber by the event source mapping's maximum concurrency. All of it is counted against one instance: with
  # a single instance the reader endpoint is the writer.
  db_connections_needed = (var.api_reserved_concurrency + var.subscriber_max_concurrency) * var.db_pool_max + var.db_connection_headroom

  rds_proxy_reader = var.create_rds_proxy && var.db_instance_count > 1

  # Where the functions connect: the proxy's endpoints when there is one, else the cluster's.
  db_writer_host = var.create_rds_proxy ? aws_db_proxy.this[0].endpoint : aws_rds_cluster.this.endpoint
  db_reader_host = local.rds_proxy_reader ? aws_db_proxy_endpoint.reader[0].endpoint : (
    var.create_rds_proxy ? aws_db_proxy.this[0].endpoint : aws_rds_cluster.this.reader_endpoint
  )
}

resource "aws_db_proxy" "this" {
  count = var.create_rds_proxy ? 1 : 0

  name                = "${var.name}-db"
  engine_family       = "POSTGRESQL"
  role_arn            = aws_iam_role.rds_proxy[0].arn
  require_tls         = true
  idle_client_timeout = 1800
  vpc_subnet_ids      = local.private_subnet_ids
  # The proxy reaches the cluster; the functions reach the proxy.
  vpc_security_group_ids = [aws_security_group.rds_proxy[0].id]

  # The functions sign in with the master secret RDS manages; the proxy reads the same secret.
  auth {
    auth_scheme               = "SECRETS"
    secret_arn                = local.db_secret_arn
    iam_auth                  = "DISABLED"
    client_password_auth_type = "POSTGRES_SCRAM_SHA_256"
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = length(local.private_subnet_ids) >= 2
      error_message = "RDS Proxy needs private subnets in at least two availability zones."
    }
  }
}

resource "aws_db_proxy_default_target_group" "this" {
  count = var.create_rds_proxy ? 1 : 0

  db_proxy_name = aws_db_proxy.this[0].name

  connection_pool_config {
    # The rest stays for migrations, operators and RDS's own sessions.
    max_connections_percent      = 90
    max_idle_connections_percent = 50
    connection_borrow_timeout    = 30
  }
}

resource "aws_db_proxy_target" "this" {
  count = var.create_rds_proxy ? 1 : 0

  db_proxy_name         = aws_db_proxy.this[0].name
  target_group_name     = aws_db_proxy_default_target_group.this[0].name
  db_cluster_identifier = aws_rds_cluster.this.cluster_identifier
}

# The API's reads go to the readers, as they do without a proxy; only when the cluster has some.
resource "aws_db_proxy_endpoint" "reader" {
  count = local.rds_proxy_reader ? 1 : 0

  db_proxy_name          = aws_db_proxy.this[0].name
  db_proxy_endpoint_name = "${var.name}-db-reader"
  vpc_subnet_ids         = local.private_subnet_ids
  vpc_security_group_ids = [aws_security_group.rds_proxy[0].id]
  target_role            = "READ_ONLY"
  tags                   = local.tags
}

data "aws_iam_policy_document" "rds_proxy_assume" {
  count = var.create_rds_proxy ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["rds.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "rds_proxy" {
  count = var.create_rds_proxy ? 1 : 0

  name               = "${var.name}-rds-proxy"
  description        = "RDS Proxy of ${var.name}: reads the database secret"
  assume_role_policy = data.aws_iam_policy_document.rds_proxy_assume[0].json
  tags               = local.tags
}

# RDS encrypts the managed secret with the AWS managed key aws/secretsmanager, whose key policy lets the account's
# principals decrypt through Secrets Manager; GetSecretValue on the one secret is all the proxy needs.
data "aws_iam_policy_document" "rds_proxy" {
  count = var.create_rds_proxy ? 1 : 0

  statement {
    sid       = "ReadDatabaseSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.db_secret_arn]
  }
}

resource "aws_iam_role_policy" "rds_proxy" {
  count = var.create_rds_proxy ? 1 : 0

  name   = "read-database-secret"
  role   = aws_iam_role.rds_proxy[0].id
  policy = data.aws_iam_policy_document.rds_proxy[0].json
}
