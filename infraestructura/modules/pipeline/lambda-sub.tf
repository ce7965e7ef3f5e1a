# The subscriber: consumes the queue through its `live` alias and writes users to Aurora.
# It also answers {"action":"migrate"}, which only the deploy role may invoke directly.

resource "aws_cloudwatch_log_group" "subscriber" {
  name              = "/aws/lambda/${local.subscriber_function_name}"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_lambda_function" "subscriber" {
  function_name = local.subscriber_function_name
  description   = "Ingesta ${var.name} queue subscriber and schema migrator"
  role          = aws_iam_role.subscriber.arn
  package_type  = "Image"
  image_uri     = "${aws_ecr_repository.this["suscriptor"].repository_url}:${var.image_tag}"
  architectures = [var.lambda_architecture]
  memory_size   = var.subscriber_memory_size
  timeout       = var.subscriber_timeout
  publish       = true

  vpc_config {
    subnet_ids         = local.private_subnet_ids
    security_group_ids = [aws_security_group.lambda.id]
  }

  environment {
    variables = merge(local.db_environment, {
      DB_USER               = local.db_users.subscriber
      DB_CONNECT_TIMEOUT_MS = tostring(var.subscriber_db_connect_timeout_ms)
      # Read only by {"action":"migrate"}: migrations run as the master user.
      DB_SECRET_ARN = local.db_secret_arn
      # Logs and EMF metrics carry it as `service`, so systems sharing an account stay apart.
      POWERTOOLS_SERVICE_NAME = local.subscriber_function_name
    })
  }

  tracing_config {
    mode = local.lambda_tracing_mode
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.subscriber.name
  }

  tags = local.tags

  lifecycle {
    ignore_changes = [image_uri]
  }

  depends_on = [aws_iam_role_policy_attachment.subscriber_vpc_access, aws_iam_role_policy.subscriber]
}

resource "aws_lambda_alias" "subscriber_live" {
  name             = "live"
  description      = "Traffic-serving version; moved by deploys"
  function_name    = aws_lambda_function.subscriber.function_name
  function_version = aws_lambda_function.subscriber.version

  lifecycle {
    ignore_changes = [function_version]
  }
}

resource "aws_lambda_event_source_mapping" "subscriber" {
  event_source_arn                   = aws_sqs_queue.this.arn
  function_name                      = aws_lambda_alias.subscriber_live.arn
  batch_size                         = var.subscriber_batch_size
  maximum_batching_window_in_seconds = var.subscriber_batching_window_seconds
  # The handler returns {batchItemFailures}; only those messages are retried.
  function_response_types = ["ReportBatchItemFailures"]

  # Caps concurrent subscribers, and so the database connections they open.
  scaling_config {
    maximum_concurrency = var.subscriber_max_concurrency
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.subscriber_batch_size <= 10 || var.subscriber_batching_window_seconds >= 1
      error_message = "A batch size above 10 needs subscriber_batching_window_seconds >= 1."
    }
  }
}
