environment = "dev"
name        = "ingesta-dev"

# Cheapest: the database pauses when idle; no endpoints, one NAT.
db_min_capacity          = 0
db_max_capacity          = 2
db_instance_count        = 1
db_backup_retention_days = 1
db_deletion_protection   = false
db_skip_final_snapshot   = true
ecr_force_delete         = true

nat_gateway_mode     = "single"
enable_vpc_endpoints = false

subscriber_max_concurrency = 2
log_retention_days         = 14

# Deploy jobs run in the GitHub environment "dev": their OIDC token names the environment, not the branch.
github_repository   = "my-org/ingesta"
github_branches     = ["main"]
github_environments = ["dev"]
