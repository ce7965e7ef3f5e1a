provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge(var.tags, {
      "ingesta:environment" = var.environment
      "managed-by"          = "terraform"
    })
  }
}
