# The HTTP API: a container-image function behind a Function URL on its `live` alias.

resource "aws_cloudwatch_log_group" "api" {
  name              = "/aws/lambda/${local.api_function_name}"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_lambda_function" "api" {
  function_name = local.api_function_name
  description   = "Ingesta ${var.name} HTTP API"
  role          = aws_iam_role.api.arn
  package_type  = "Image"
  image_uri     = "${aws_ecr_repository.this["api"].repository_url}:${var.image_tag}"
  architectures = [var.lambda_architecture]
  memory_size   = var.api_memory_size
  timeout       = var.api_timeout
  # Publishes version 1 for the `live` alias; later versions come from deploys.
  publish = true
  # Caps the API and so its database connections (see local.db_connections_needed).
  reserved_concurrent_executions = var.api_reserved_concurrency

  vpc_config {
    subnet_ids         = local.private_subnet_ids
    security_group_ids = [aws_security_group.lambda.id]
  }

  environment {
    variables = merge(local.db_environment, {
      TOPIC_ARN = aws_sns_topic.this.arn
      # Users are read on the reader endpoint; the Idempotency-Key records are written on DB_HOST (the writer).
      DB_READER_HOST        = local.db_reader_host
      DB_USER               = local.db_users.api
      DB_CONNECT_TIMEOUT_MS = tostring(var.api_db_connect_timeout_ms)
      API_DEADLINE_MS       = tostring(var.api_deadline_ms)
      # An in-flight Idempotency-Key outlives the request that holds it, so a live request is never overtaken.
      IDEMPOTENCY_LEASE_SECONDS = tostring(var.api_timeout + 5)
      # Logs and EMF metrics carry it as `service`, so systems sharing an account stay apart.
      POWERTOOLS_SERVICE_NAME = local.api_function_name
    })
  }

  tracing_config {
    mode = local.lambda_tracing_mode
  }

  # The app writes JSON lines itself; Text keeps Lambda from filtering them by level a second time.
  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.api.name
  }

  tags = local.tags

  lifecycle {
    # Deploys push a new image and move the alias; Terraform must not roll them back.
    ignore_changes = [image_uri]

    precondition {
      condition     = var.create_rds_proxy || local.db_connections_needed <= local.db_max_connections
      error_message = "The functions may open more database connections than Aurora allows: (api_reserved_concurrency + subscriber_max_concurrency) x db_pool_max + db_connection_headroom exceeds max_connections (about 189 per db_max_capacity ACU, at most 2,000 with db_min_capacity 0 or 0.5, else 5,000). Raise db_max_capacity (and db_min_capacity above 0.5 past 2,000 connections), lower db_pool_max, api_reserved_concurrency or subscriber_max_concurrency, or set create_rds_proxy = true (needs db_min_capacity > 0)."
    }
  }

  depends_on = [aws_iam_role_policy_attachment.api_vpc_access, aws_iam_role_policy.api]
}

resource "aws_lambda_alias" "api_live" {
  name             = "live"
  description      = "Traffic-serving version; moved by deploys"
  function_name    = aws_lambda_function.api.function_name
  function_version = aws_lambda_function.api.version

  lifecycle {
    ignore_changes = [function_version]
  }
}

resource "aws_lambda_function_url" "api" {
  function_name      = aws_lambda_function.api.function_name
  qualifier          = aws_lambda_alias.api_live.name
  authorization_type = var.api_function_url_auth_type
  invoke_mode        = "BUFFERED"
}

locals {
  # NONE means public: the URL permissions must name every caller ("*").
  api_url_invokers = var.api_function_url_auth_type == "NONE" ? ["*"] : (
    length(var.api_function_url_invoker_principals) > 0 ? var.api_function_url_invoker_principals : [local.account_id]
  )
  api_url_invoker_map = { for index, principal in local.api_url_invokers : tostring(index) => principal }
}

# New Function URLs need both permissions: InvokeFunctionUrl and InvokeFunction via the URL.
resource "aws_lambda_permission" "api_url" {
  for_each = local.api_url_invoker_map

  statement_id           = "FunctionUrlInvokeFunctionUrl${each.key}"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.api.function_name
  qualifier              = aws_lambda_alias.api_live.name
  principal              = each.value
  function_url_auth_type = var.api_function_url_auth_type
}

resource "aws_lambda_permission" "api_url_invoke" {
  for_each = local.api_url_invoker_map

  statement_id             = "FunctionUrlInvokeFunction${each.key}"
  action                   = "lambda:InvokeFunction"
  function_name            = aws_lambda_function.api.function_name
  qualifier                = aws_lambda_alias.api_live.name
  principal                = each.value
  invoked_via_function_url = true
}
