# Settings both functions share: database connection (contract env names), VPC placement.

locals {
  # RDS writes the managed master password here (JSON with username and password).
  db_secret_arn = aws_rds_cluster.this.master_user_secret[0].secret_arn

  db_environment = {
    DB_SECRET_ARN       = local.db_secret_arn
    DB_HOST             = local.db_writer_host
    DB_PORT             = tostring(aws_rds_cluster.this.port)
    DB_NAME             = var.db_name
    DB_SSL              = "verify-full"
    NODE_EXTRA_CA_CERTS = "/var/runtime/ca-cert.pem"
    DB_POOL_MAX         = tostring(var.db_pool_max)
    LOG_LEVEL           = var.log_level
  }

  lambda_tracing_mode = var.enable_xray_tracing ? "Active" : "PassThrough"
}
