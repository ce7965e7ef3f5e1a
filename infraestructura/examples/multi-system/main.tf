# N systems in one account, stamped out with for_each. They share one VPC (one NAT, not N)
# and one GitHub OIDC provider (an account holds only one per URL); everything else is per system.

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "6.6.1"

  name            = "ingesta-shared"
  cidr            = var.vpc_cidr
  azs             = var.azs
  public_subnets  = [for index, az in var.azs : cidrsubnet(var.vpc_cidr, 8, index)]
  private_subnets = [for index, az in var.azs : cidrsubnet(var.vpc_cidr, 8, index + 10)]

  enable_nat_gateway   = true
  single_nat_gateway   = true
  enable_dns_hostnames = true
  enable_dns_support   = true
}

resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

module "system" {
  source   = "../../modules/pipeline"
  for_each = var.systems

  name      = each.key
  image_tag = each.value.image_tag

  create_vpc         = false
  vpc_id             = module.vpc.vpc_id
  private_subnet_ids = module.vpc.private_subnets

  db_min_capacity            = each.value.db_min_capacity
  db_max_capacity            = each.value.db_max_capacity
  db_deletion_protection     = each.value.protected
  db_skip_final_snapshot     = !each.value.protected
  subscriber_max_concurrency = each.value.subscriber_max_concurrency

  github_repository = var.github_repository
  # Only the GitHub environment named like the system may deploy it (no branch-wide trust).
  github_branches             = []
  github_environments         = [each.key]
  create_github_oidc_provider = false
  github_oidc_provider_arn    = aws_iam_openid_connect_provider.github.arn

  alarm_email_addresses = var.alarm_email_addresses
  tags                  = { "ingesta:owner" = each.value.owner }
}
