# Aurora PostgreSQL Serverless v2: private, encrypted, TLS-only, password managed by RDS in Secrets Manager.

locals {
  db_engine_major = split(".", var.db_engine_version)[0]
  db_engine_minor = try(tonumber(split(".", var.db_engine_version)[1]), 0)
  # Auto-pause (0 ACU) needs Aurora PostgreSQL 15.7+, 16.3+ or 17+.
  db_supports_auto_pause = (
    tonumber(local.db_engine_major) >= 17 ||
    (tonumber(local.db_engine_major) == 16 && local.db_engine_minor >= 3) ||
    (tonumber(local.db_engine_major) == 15 && local.db_engine_minor >= 7)
  )
}

resource "aws_cloudwatch_log_group" "db" {
  name              = "/aws/rds/cluster/${var.name}/postgresql"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_db_subnet_group" "this" {
  name_prefix = "${var.name}-"
  description = "Private subnets for the ${var.name} Aurora cluster"
  subnet_ids  = local.private_subnet_ids
  tags        = local.tags

  lifecycle {
    precondition {
      condition     = length(local.private_subnet_ids) >= 2
      error_message = "Aurora needs private subnets in at least two availability zones."
    }
  }
}

resource "aws_rds_cluster_parameter_group" "this" {
  name_prefix = "${var.name}-"
  family      = "aurora-postgresql${local.db_engine_major}"
  description = "TLS-only connections for ${var.name}"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  tags = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_rds_cluster" "this" {
  cluster_identifier = var.name
  engine             = "aurora-postgresql"
  engine_mode        = "provisioned"
  engine_version     = var.db_engine_version
  database_name      = var.db_name
  master_username    = var.db_master_username
  # RDS generates and rotates the password in Secrets Manager; it never reaches variables or state.
  manage_master_user_password = true

  db_subnet_group_name            = aws_db_subnet_group.this.name
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.this.name
  vpc_security_group_ids          = [aws_security_group.db.id]

  storage_encrypted = true
  kms_key_id        = aws_kms_key.this.arn
  # The functions log in as their own database users with 15-minute IAM tokens; no password exists for them.
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql"]

  backup_retention_period   = var.db_backup_retention_days
  copy_tags_to_snapshot     = true
  deletion_protection       = var.db_deletion_protection
  skip_final_snapshot       = var.db_skip_final_snapshot
  final_snapshot_identifier = var.db_skip_final_snapshot ? null : "${var.name}-final"

  serverlessv2_scaling_configuration {
    min_capacity             = var.db_min_capacity
    max_capacity             = var.db_max_capacity
    seconds_until_auto_pause = var.db_min_capacity == 0 ? var.db_seconds_until_auto_pause : null
  }

  tags = local.tags

  # RDS would create the export log group without retention; create it first, with retention.
  depends_on = [aws_cloudwatch_log_group.db]

  lifecycle {
    precondition {
      condition     = var.db_min_capacity > 0 || local.db_supports_auto_pause
      error_message = "db_min_capacity = 0 (auto-pause) needs Aurora PostgreSQL 15.7+, 16.3+ or 17+."
    }
    precondition {
      condition     = var.db_max_capacity >= var.db_min_capacity
      error_message = "db_max_capacity must be at least db_min_capacity."
    }
    # AWS: Aurora auto-pause and RDS Proxy do not combine ("Scaling to Zero ACUs with automatic pause and resume for
    # Aurora Serverless v2", prerequisites and limitations).
    precondition {
      condition     = !(var.create_rds_proxy && var.db_min_capacity == 0)
      error_message = "create_rds_proxy needs db_min_capacity > 0: Aurora auto-pause (0 ACU) and RDS Proxy do not combine. Set db_min_capacity = 0.5 or more, or create_rds_proxy = false."
    }
  }
}

resource "aws_rds_cluster_instance" "this" {
  count = var.db_instance_count

  identifier          = "${var.name}-${count.index}"
  cluster_identifier  = aws_rds_cluster.this.id
  engine              = aws_rds_cluster.this.engine
  engine_version      = aws_rds_cluster.this.engine_version
  instance_class      = "db.serverless"
  publicly_accessible = false

  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.this.arn

  tags = local.tags
}
