# Settings both functions share: database connection (contract env names), VPC placement.

locals {
  # RDS writes the managed master password here (JSON with username and password). Only migrations use it.
  db_secret_arn = aws_rds_cluster.this.master_user_secret[0].secret_arn

  # Each function logs in as its own database role (made by migration 0004_function_roles) with IAM tokens.
  db_users = {
    api        = "ingesta_api"
    subscriber = "ingesta_subscriber"
  }
  # rds-db:connect names a user of one cluster: arn:...:dbuser:<cluster resource id>/<user>.
  db_user_arn_prefix = "arn:${local.partition}:rds-db:${local.region}:${local.account_id}:dbuser:${aws_rds_cluster.this.cluster_resource_id}"

  db_environment = {
    DB_IAM_AUTH         = "true"
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

# A paused Aurora (~15 s to resume) must end in the functions' own answer, never a Lambda timeout: the API's
# connect gives up before its request deadline, which comes 1 s (the margin the handlers keep) before its
# timeout; the subscriber's connect gives up before its own deadline, so a batch fails by a throw and is
# retried. Checked here, across variables, because validations may name only their own before Terraform 1.9.
resource "terraform_data" "function_timeouts" {
  lifecycle {
    precondition {
      condition     = var.api_db_connect_timeout_ms < var.api_deadline_ms
      error_message = "api_db_connect_timeout_ms must be less than api_deadline_ms."
    }
    precondition {
      condition     = var.api_deadline_ms <= var.api_timeout * 1000 - 1000
      error_message = "api_deadline_ms must be at most api_timeout x 1000 - 1000."
    }
    precondition {
      condition     = var.subscriber_db_connect_timeout_ms < var.subscriber_timeout * 1000 - 1000
      error_message = "subscriber_db_connect_timeout_ms must be less than subscriber_timeout x 1000 - 1000."
    }
  }
}

# Users' emails are personal data. The code never logs one (it logs a hash), and CloudWatch Logs masks any that
# slips through, as it is ingested, in both functions' log groups: a reader needs logs:Unmask to see it.
locals {
  # AWS's managed data identifier for email addresses (the Deidentify list must equal the Audit list).
  masked_data_identifiers = ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"]
}

data "aws_cloudwatch_log_data_protection_policy_document" "mask_emails" {
  name = "${var.name}-mask-emails"

  # Audit is required beside Deidentify; no findings destination: the masking is what matters.
  statement {
    sid              = "Audit"
    data_identifiers = local.masked_data_identifiers
    operation {
      audit {
        findings_destination {}
      }
    }
  }

  statement {
    sid              = "Deidentify"
    data_identifiers = local.masked_data_identifiers
    operation {
      deidentify {
        mask_config {}
      }
    }
  }
}

resource "aws_cloudwatch_log_data_protection_policy" "api" {
  log_group_name  = aws_cloudwatch_log_group.api.name
  policy_document = data.aws_cloudwatch_log_data_protection_policy_document.mask_emails.json
}

resource "aws_cloudwatch_log_data_protection_policy" "subscriber" {
  log_group_name  = aws_cloudwatch_log_group.subscriber.name
  policy_document = data.aws_cloudwatch_log_data_protection_policy_document.mask_emails.json
}
