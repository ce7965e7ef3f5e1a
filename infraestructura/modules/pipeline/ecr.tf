# One image repository per function. Deploys push images tagged with the git SHA.

locals {
  functions = {
    api        = local.api_function_name
    suscriptor = local.subscriber_function_name
  }
}

resource "aws_ecr_repository" "this" {
  for_each = local.functions

  name                 = each.value
  image_tag_mutability = "IMMUTABLE"
  force_delete         = var.ecr_force_delete

  image_scanning_configuration {
    scan_on_push = true
  }

  # Images hold no secrets; AES-256 avoids making image pulls depend on the system's KMS key.
  #checkov:skip=CKV_AWS_136:AES-256 server-side encryption is deliberate for images
  encryption_configuration {
    encryption_type = "AES256"
  }

  tags = local.tags
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last ${var.ecr_keep_last_images} images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = var.ecr_keep_last_images
      }
      action = { type = "expire" }
    }]
  })
}
