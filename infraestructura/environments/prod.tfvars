environment = "prod"
name        = "ingesta-prod"

# Warm, highly available, protected.
db_min_capacity          = 0.5
db_max_capacity          = 16
db_instance_count        = 2
db_backup_retention_days = 14
db_deletion_protection   = true
db_skip_final_snapshot   = false
ecr_force_delete         = false

nat_gateway_mode     = "per_az"
enable_vpc_endpoints = true

subscriber_max_concurrency = 10
log_retention_days         = 90

github_repository   = "my-org/ingesta"
github_branches     = []
github_environments = ["production"]

# Production has an account of its own, so this stack owns that account's GitHub OIDC provider.
# If another stack in the account already created it: create_github_oidc_provider = false and
# github_oidc_provider_arn = "arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com".
create_github_oidc_provider = true

alarm_email_addresses = ["oncall@example.com"]
