terraform {
  # 1.6 brings the test framework and the precondition/check features this module relies on.
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.29 adds invoked_via_function_url on aws_lambda_permission; 6.x has Aurora auto-pause (min 0 ACU).
      version = ">= 6.29.0, < 7.0.0"
    }
  }
}
