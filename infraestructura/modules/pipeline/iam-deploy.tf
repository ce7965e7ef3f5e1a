# GitHub Actions deploys through OIDC: push the two images, read their scans, store their SBOMs,
# update/publish/alias the two functions, and invoke them for migrations and smoke tests. Nothing else.

locals {
  github_oidc_provider_arn = var.create_deploy_role ? (
    var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : var.github_oidc_provider_arn
  ) : null

  github_subjects = concat(
    [for branch in var.github_branches : "repo:${var.github_repository}:ref:refs/heads/${branch}"],
    [for environment in var.github_environments : "repo:${var.github_repository}:environment:${environment}"],
  )
  # Without a branch or environment, any workflow of this repository may deploy.
  github_trusted_subjects = length(local.github_subjects) > 0 ? local.github_subjects : ["repo:${var.github_repository}:*"]

  function_arns = [aws_lambda_function.api.arn, aws_lambda_function.subscriber.arn]
}

# One per AWS account: create it in a single stack and pass its ARN to the others.
resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_deploy_role && var.create_github_oidc_provider ? 1 : 0

  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
  tags           = local.tags
}

data "aws_iam_policy_document" "deploy_assume" {
  count = var.create_deploy_role ? 1 : 0

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = local.github_trusted_subjects
    }
  }
}

resource "aws_iam_role" "deploy" {
  count = var.create_deploy_role ? 1 : 0

  name                 = "${var.name}-deploy"
  description          = "GitHub Actions deploys of ${var.github_repository} to the ${var.name} functions"
  assume_role_policy   = data.aws_iam_policy_document.deploy_assume[0].json
  max_session_duration = 3600
  tags                 = local.tags

  lifecycle {
    precondition {
      condition     = var.github_repository != null
      error_message = "create_deploy_role needs github_repository (owner/name)."
    }
    precondition {
      condition     = var.create_github_oidc_provider || var.github_oidc_provider_arn != null
      error_message = "Set github_oidc_provider_arn when create_github_oidc_provider is false."
    }
  }
}

resource "aws_iam_role_policy" "deploy" {
  count = var.create_deploy_role ? 1 : 0

  name   = "ingesta-deploy"
  role   = aws_iam_role.deploy[0].id
  policy = data.aws_iam_policy_document.deploy[0].json
}

data "aws_iam_policy_document" "deploy" {
  count = var.create_deploy_role ? 1 : 0

  # GetAuthorizationToken has no resource-level permissions; AWS requires "*".
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PushImages"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [for repository in aws_ecr_repository.this : repository.arn]
  }

  # The scan gate waits for and reads the ECR scan of the pushed digest.
  statement {
    sid       = "ReadImageScans"
    actions   = ["ecr:DescribeImageScanFindings"]
    resources = [for repository in aws_ecr_repository.this : repository.arn]
  }

  # SBOMs go beside the images, one prefix per function; nothing else in the bucket, and no reading.
  statement {
    sid       = "WriteSboms"
    actions   = ["s3:PutObject"]
    resources = [for function_name in local.functions : "${aws_s3_bucket.sbom.arn}/sbom/${function_name}/*"]
  }

  # S3 asks KMS for the bucket key on the deploy's behalf; only through S3.
  statement {
    sid       = "EncryptSboms"
    actions   = ["kms:GenerateDataKey"]
    resources = [aws_kms_key.this.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }

  statement {
    sid = "DeployFunctions"
    actions = [
      "lambda:GetAlias",
      "lambda:GetFunction",
      "lambda:GetFunctionConfiguration",
      "lambda:ListVersionsByFunction",
      "lambda:PublishVersion",
      "lambda:UpdateAlias",
      "lambda:UpdateFunctionCode",
    ]
    resources = concat(local.function_arns, [for arn in local.function_arns : "${arn}:*"])
  }

  # Migrations ({"action":"migrate"} on the subscriber) and smoke tests.
  statement {
    sid       = "InvokeForMigrationsAndSmokeTests"
    actions   = ["lambda:InvokeFunction"]
    resources = concat(local.function_arns, [for arn in local.function_arns : "${arn}:*"])
  }

  # Smoke tests call the AWS_IAM Function URL of the API's live alias.
  statement {
    sid       = "InvokeApiUrl"
    actions   = ["lambda:InvokeFunctionUrl"]
    resources = ["${aws_lambda_function.api.arn}:${aws_lambda_alias.api_live.name}"]
  }
}
