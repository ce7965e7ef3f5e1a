terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.29.0, < 7.0.0"
    }
  }

  backend "s3" {}
}

provider "aws" {
  region = var.aws_region
}
