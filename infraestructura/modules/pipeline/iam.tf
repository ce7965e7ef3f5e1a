# One execution role per function, each limited to the resources of this system.

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

locals {
  vpc_access_policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_iam_role" "api" {
  name               = "${local.api_function_name}-lambda"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "api_vpc_access" {
  role       = aws_iam_role.api.name
  policy_arn = local.vpc_access_policy_arn
}

resource "aws_iam_role_policy" "api" {
  name   = "ingesta-api"
  role   = aws_iam_role.api.id
  policy = data.aws_iam_policy_document.api.json
}

data "aws_iam_policy_document" "api" {
  statement {
    sid       = "PublishUserEvents"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]
  }

  # Publishing to a KMS-encrypted topic needs a data key from the topic's key.
  statement {
    sid       = "EncryptForTopic"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.this.arn]
  }

  # IAM database authentication as its own database user, on this cluster only. No secret to read.
  statement {
    sid       = "ConnectAsApiDatabaseUser"
    actions   = ["rds-db:connect"]
    resources = ["${local.db_user_arn_prefix}/${local.db_users.api}"]
  }

  dynamic "statement" {
    for_each = var.enable_xray_tracing ? ["xray"] : []

    content {
      sid     = "WriteTraces"
      actions = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      # X-Ray has no resource-level permissions; AWS requires "*".
      resources = ["*"]
    }
  }
}

resource "aws_iam_role" "subscriber" {
  name               = "${local.subscriber_function_name}-lambda"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "subscriber_vpc_access" {
  role       = aws_iam_role.subscriber.name
  policy_arn = local.vpc_access_policy_arn
}

resource "aws_iam_role_policy" "subscriber" {
  name   = "ingesta-subscriber"
  role   = aws_iam_role.subscriber.id
  policy = data.aws_iam_policy_document.subscriber.json
}

data "aws_iam_policy_document" "subscriber" {
  statement {
    sid       = "ConsumeQueue"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.this.arn]
  }

  # Messages in the KMS-encrypted queue are decrypted on receive.
  statement {
    sid       = "DecryptQueueMessages"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.this.arn]
  }

  statement {
    sid       = "ConnectAsSubscriberDatabaseUser"
    actions   = ["rds-db:connect"]
    resources = ["${local.db_user_arn_prefix}/${local.db_users.subscriber}"]
  }

  # Only {"action":"migrate"} (invoked by the deploy role alone) reads the master secret: migrations change
  # the schema, which the subscriber's own database user may not.
  statement {
    sid       = "ReadMasterSecretForMigrations"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.db_secret_arn]
  }

  dynamic "statement" {
    for_each = var.enable_xray_tracing ? ["xray"] : []

    content {
      sid     = "WriteTraces"
      actions = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      # X-Ray has no resource-level permissions; AWS requires "*".
      resources = ["*"]
    }
  }
}
