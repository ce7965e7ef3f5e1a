data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  api_function_name        = "${var.name}-api"
  subscriber_function_name = "${var.name}-suscriptor"

  # The SQS visibility timeout must be at least 6x the subscriber timeout, or Lambda refuses the mapping.
  queue_visibility_timeout_seconds = coalesce(var.sqs_visibility_timeout_seconds, 6 * var.subscriber_timeout)

  tags = merge(var.tags, { "ingesta:system" = var.name })
}
