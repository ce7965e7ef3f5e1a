################################################################################
# General
################################################################################

variable "name" {
  description = "System name. Prefixes every resource; functions are <name>-api and <name>-suscriptor."
  type        = string

  validation {
    # Lower case for ECR; short enough for "<name>-suscriptor-lambda" (IAM role names max 64).
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every resource that takes tags."
  type        = map(string)
  default     = {}
}

################################################################################
# Network
################################################################################

variable "create_vpc" {
  description = "Create a VPC with public and private subnets. Set false to use vpc_id and private_subnet_ids (a VPC shared by several systems)."
  type        = bool
  default     = true
}

variable "vpc_cidr" {
  description = "CIDR of the created VPC (/16 to /20). Public subnets take /8-longer blocks 0..n, private ones 10..n+10."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 20
    error_message = "vpc_cidr must be an IPv4 CIDR between /16 and /20."
  }
}

variable "azs" {
  description = "Availability zones for the subnets, one public and one private subnet each."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b"]

  validation {
    condition     = length(var.azs) >= 2 && length(var.azs) == length(distinct(var.azs))
    error_message = "azs must list at least two distinct availability zones (Aurora needs two)."
  }
}

variable "nat_gateway_mode" {
  description = "NAT for the private subnets: single (one, cheapest), per_az (one per AZ, survives an AZ outage) or none (needs enable_vpc_endpoints)."
  type        = string
  default     = "single"

  validation {
    condition     = contains(["single", "per_az", "none"], var.nat_gateway_mode)
    error_message = "nat_gateway_mode must be single, per_az or none."
  }
}

variable "enable_vpc_endpoints" {
  description = "Create interface endpoints for SNS, SQS and Secrets Manager in the created VPC, so the Lambdas reach them without NAT."
  type        = bool
  default     = false
}

variable "vpc_id" {
  description = "Existing VPC when create_vpc is false."
  type        = string
  default     = null
}

variable "private_subnet_ids" {
  description = "Existing private subnets (at least two AZs) when create_vpc is false. They must reach SNS and Secrets Manager (NAT or endpoints)."
  type        = list(string)
  default     = []
}

################################################################################
# Database
################################################################################

variable "db_engine_version" {
  description = "Aurora PostgreSQL engine version (major.minor). Auto-pause (db_min_capacity = 0) needs 15.7+, 16.3+ or 17+."
  type        = string
  default     = "16.6"

  validation {
    condition     = can(regex("^1[3-9]\\.[0-9]+$", var.db_engine_version))
    error_message = "db_engine_version must look like 16.6 (major 13 or later)."
  }
}

variable "db_name" {
  description = "Database created in the cluster; the functions get it as DB_NAME."
  type        = string
  default     = "ingesta"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.db_name))
    error_message = "db_name must be a lower-case PostgreSQL identifier."
  }
}

variable "db_master_username" {
  description = "Master user name. Its password is generated and kept by RDS in Secrets Manager."
  type        = string
  default     = "ingesta_admin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.db_master_username)) && !contains(["admin", "postgres", "rdsadmin"], var.db_master_username)
    error_message = "db_master_username must be a lower-case identifier of up to 16 characters and not a reserved name."
  }
}

variable "db_min_capacity" {
  description = "Minimum Aurora capacity units. 0 lets the cluster auto-pause (no RDS Proxy then); 0.5 keeps it warm."
  type        = number
  default     = 0.5

  validation {
    condition     = var.db_min_capacity >= 0 && var.db_min_capacity <= 256 && floor(var.db_min_capacity * 2) == var.db_min_capacity * 2
    error_message = "db_min_capacity must be 0-256 in steps of 0.5."
  }
}

variable "db_max_capacity" {
  description = "Maximum Aurora capacity units. Bounds cost and the connection limit."
  type        = number
  default     = 4

  validation {
    condition     = var.db_max_capacity >= 1 && var.db_max_capacity <= 256 && floor(var.db_max_capacity * 2) == var.db_max_capacity * 2
    error_message = "db_max_capacity must be 1-256 in steps of 0.5."
  }
}

variable "db_seconds_until_auto_pause" {
  description = "Idle seconds before the cluster pauses; used only when db_min_capacity is 0. A paused cluster takes ~15 s to resume."
  type        = number
  default     = 3600

  validation {
    condition     = var.db_seconds_until_auto_pause >= 300 && var.db_seconds_until_auto_pause <= 86400
    error_message = "db_seconds_until_auto_pause must be 300-86400."
  }
}

variable "db_instance_count" {
  description = "Serverless v2 instances: 1 is a writer only; 2 or more add readers in other AZs (failover, reader endpoint)."
  type        = number
  default     = 1

  validation {
    condition     = var.db_instance_count >= 1 && var.db_instance_count <= 15 && floor(var.db_instance_count) == var.db_instance_count
    error_message = "db_instance_count must be a whole number from 1 to 15."
  }
}

variable "db_backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery)."
  type        = number
  default     = 7

  validation {
    condition     = var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days must be 1-35."
  }
}

variable "db_deletion_protection" {
  description = "Refuse to delete the cluster. Keep true in production; set false to destroy a dev stack."
  type        = bool
  default     = true
}

variable "db_skip_final_snapshot" {
  description = "Skip the final snapshot when the cluster is destroyed. Keep false in production."
  type        = bool
  default     = false
}

variable "db_pool_max" {
  description = "Connections each function instance may open (DB_POOL_MAX). Total is about this x concurrent instances."
  type        = number
  default     = 2

  validation {
    condition     = var.db_pool_max >= 1 && var.db_pool_max <= 20
    error_message = "db_pool_max must be 1-20."
  }
}

variable "db_connection_headroom" {
  description = "Connections kept free beside the functions' pools: migrations, smoke tests of a new version, operators, RDS's own sessions."
  type        = number
  default     = 10

  validation {
    condition     = var.db_connection_headroom >= 0 && var.db_connection_headroom <= 1000 && floor(var.db_connection_headroom) == var.db_connection_headroom
    error_message = "db_connection_headroom must be a whole number from 0 to 1000."
  }
}

variable "create_rds_proxy" {
  description = "Put an RDS Proxy in front of Aurora; both functions then connect to it (DB_HOST, DB_READER_HOST). Needs db_min_capacity > 0: a cluster that auto-pauses cannot sit behind a proxy."
  type        = bool
  default     = false
}

################################################################################
# Encryption
################################################################################

variable "kms_deletion_window_days" {
  description = "Waiting period before the system's KMS key is deleted after destroy."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be 7-30."
  }
}

################################################################################
# Pub/sub
################################################################################

variable "sns_raw_message_delivery" {
  description = "Deliver the raw event body to SQS instead of the SNS JSON envelope (attributes become SQS message attributes)."
  type        = bool
  default     = true
}

variable "sqs_visibility_timeout_seconds" {
  description = "Queue visibility timeout. null means 6 x subscriber_timeout; a set value must be at least that."
  type        = number
  default     = null

  validation {
    condition     = var.sqs_visibility_timeout_seconds == null || try(var.sqs_visibility_timeout_seconds >= 0 && var.sqs_visibility_timeout_seconds <= 43200, false)
    error_message = "sqs_visibility_timeout_seconds must be 0-43200 (12 hours)."
  }
}

variable "sqs_message_retention_seconds" {
  description = "How long the queue keeps an undelivered message."
  type        = number
  default     = 345600

  validation {
    condition     = var.sqs_message_retention_seconds >= 60 && var.sqs_message_retention_seconds <= 1209600
    error_message = "sqs_message_retention_seconds must be 60-1209600."
  }
}

variable "dlq_message_retention_seconds" {
  description = "How long the DLQ keeps a dead letter; must exceed the queue's retention."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dlq_message_retention_seconds >= 60 && var.dlq_message_retention_seconds <= 1209600
    error_message = "dlq_message_retention_seconds must be 60-1209600 (14 days)."
  }
}

variable "sqs_receive_wait_time_seconds" {
  description = "Long polling wait for receives."
  type        = number
  default     = 20

  validation {
    condition     = var.sqs_receive_wait_time_seconds >= 1 && var.sqs_receive_wait_time_seconds <= 20
    error_message = "sqs_receive_wait_time_seconds must be 1-20 (long polling)."
  }
}

variable "sqs_max_receive_count" {
  description = "Receives before a message moves to the DLQ."
  type        = number
  default     = 5

  validation {
    condition     = var.sqs_max_receive_count >= 1 && var.sqs_max_receive_count <= 1000
    error_message = "sqs_max_receive_count must be 1-1000."
  }
}

################################################################################
# Images
################################################################################

variable "image_tag" {
  description = "Image tag (git SHA) the functions are created with. Later deploys change the image outside Terraform."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "image_tag must be a valid Docker tag."
  }
}

variable "ecr_keep_last_images" {
  description = "Images kept per repository; older ones expire."
  type        = number
  default     = 30

  validation {
    condition     = var.ecr_keep_last_images >= 1 && var.ecr_keep_last_images <= 1000
    error_message = "ecr_keep_last_images must be 1-1000."
  }
}

variable "ecr_force_delete" {
  description = "Delete the image repositories and the SBOM bucket on destroy even if they hold images or SBOMs."
  type        = bool
  default     = false
}

################################################################################
# Functions
################################################################################

variable "lambda_architecture" {
  description = "Instruction set of both functions; the images must be built for it."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.lambda_architecture)
    error_message = "lambda_architecture must be x86_64 or arm64."
  }
}

variable "api_memory_size" {
  description = "API memory in MB (CPU scales with it)."
  type        = number
  default     = 512

  validation {
    condition     = var.api_memory_size >= 128 && var.api_memory_size <= 10240
    error_message = "api_memory_size must be 128-10240."
  }
}

variable "api_reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) the API. Times db_pool_max it is the API's share of the database connections."
  type        = number
  default     = 10

  validation {
    condition     = var.api_reserved_concurrency >= 1 && var.api_reserved_concurrency <= 1000 && floor(var.api_reserved_concurrency) == var.api_reserved_concurrency
    error_message = "api_reserved_concurrency must be a whole number from 1 to 1000."
  }
}

variable "api_timeout" {
  description = "API timeout in seconds."
  type        = number
  default     = 10

  validation {
    condition     = var.api_timeout >= 1 && var.api_timeout <= 900
    error_message = "api_timeout must be 1-900."
  }
}

variable "api_db_connect_timeout_ms" {
  description = "API's DB_CONNECT_TIMEOUT_MS. Below api_deadline_ms, so a paused database (~15 s to resume) gets a 503 with Retry-After, not a timeout."
  type        = number
  default     = 5000

  validation {
    condition     = var.api_db_connect_timeout_ms >= 100 && var.api_db_connect_timeout_ms <= 60000
    error_message = "api_db_connect_timeout_ms must be 100-60000."
  }
}

variable "api_deadline_ms" {
  description = "API_DEADLINE_MS: a request unanswered by then gets a 503 with Retry-After. At most api_timeout x 1000 - 1000."
  type        = number
  default     = 8000

  validation {
    condition     = var.api_deadline_ms >= 100 && var.api_deadline_ms <= 899000
    error_message = "api_deadline_ms must be 100-899000."
  }
}

variable "subscriber_memory_size" {
  description = "Subscriber memory in MB."
  type        = number
  default     = 512

  validation {
    condition     = var.subscriber_memory_size >= 128 && var.subscriber_memory_size <= 10240
    error_message = "subscriber_memory_size must be 128-10240."
  }
}

variable "subscriber_timeout" {
  description = "Subscriber timeout in seconds; the queue visibility timeout follows it (6x)."
  type        = number
  default     = 30

  validation {
    condition     = var.subscriber_timeout >= 1 && var.subscriber_timeout <= 900
    error_message = "subscriber_timeout must be 1-900."
  }
}

variable "subscriber_db_connect_timeout_ms" {
  description = "Subscriber's DB_CONNECT_TIMEOUT_MS. Outlasts a resume from auto-pause (~15 s); below subscriber_timeout x 1000 - 1000."
  type        = number
  default     = 20000

  validation {
    condition     = var.subscriber_db_connect_timeout_ms >= 100 && var.subscriber_db_connect_timeout_ms <= 60000
    error_message = "subscriber_db_connect_timeout_ms must be 100-60000."
  }
}

variable "log_level" {
  description = "LOG_LEVEL of both functions."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN or ERROR."
  }
}

variable "log_retention_days" {
  description = "Retention of the functions' log groups."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "enable_xray_tracing" {
  description = "Active X-Ray tracing on both functions."
  type        = bool
  default     = true
}

variable "api_function_url_auth_type" {
  description = "Function URL auth. AWS_IAM (default) needs SigV4-signed requests. NONE makes the API public to the internet: only for a deliberate, reviewed choice."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.api_function_url_auth_type)
    error_message = "api_function_url_auth_type must be AWS_IAM or NONE."
  }
}

variable "api_function_url_invoker_principals" {
  description = "Principals (account IDs or role ARNs) granted the Function URL permissions under AWS_IAM. Empty means this account. Ignored for NONE."
  type        = list(string)
  default     = []
}

################################################################################
# Queue consumer
################################################################################

variable "subscriber_batch_size" {
  description = "Messages per subscriber invocation (1-10000). Above 10 needs subscriber_batching_window_seconds >= 1; a batch must fit 6 MB."
  type        = number
  default     = 10

  validation {
    condition     = var.subscriber_batch_size >= 1 && var.subscriber_batch_size <= 10000
    error_message = "subscriber_batch_size must be 1-10000 (standard queue)."
  }
}

variable "subscriber_batching_window_seconds" {
  description = "Seconds the event source mapping may wait to fill a batch (0-300)."
  type        = number
  default     = 0

  validation {
    condition     = var.subscriber_batching_window_seconds >= 0 && var.subscriber_batching_window_seconds <= 300
    error_message = "subscriber_batching_window_seconds must be 0-300."
  }
}

variable "subscriber_max_concurrency" {
  description = "Most concurrent subscriber invocations the queue may drive (2-1000). Times db_pool_max bounds the database connections."
  type        = number
  default     = 5

  validation {
    condition     = var.subscriber_max_concurrency >= 2 && var.subscriber_max_concurrency <= 1000
    error_message = "subscriber_max_concurrency must be 2-1000."
  }
}

################################################################################
# Deploys from GitHub Actions
################################################################################

variable "create_deploy_role" {
  description = "Create the GitHub Actions deploy role (OIDC)."
  type        = bool
  default     = true
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider. There is one per account: set false and pass github_oidc_provider_arn in every other stack."
  type        = bool
  default     = true
}

variable "github_oidc_provider_arn" {
  description = "Existing GitHub OIDC provider when create_github_oidc_provider is false."
  type        = string
  default     = null
}

variable "github_repository" {
  description = "Repository (owner/name) whose workflows may assume the deploy role."
  type        = string
  default     = null

  validation {
    condition     = var.github_repository == null || can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.github_repository))
    error_message = "github_repository must be owner/name."
  }
}

variable "github_branches" {
  description = "Branches whose workflows may deploy. With github_environments empty too, any ref of the repository may."
  type        = list(string)
  default     = ["main"]

  validation {
    condition     = alltrue([for branch in var.github_branches : !can(regex("[*?]", branch))])
    error_message = "github_branches must be exact names, without wildcards."
  }
}

variable "github_environments" {
  description = "GitHub environments whose jobs may deploy (add required reviewers there for production)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for environment in var.github_environments : !can(regex("[*?]", environment))])
    error_message = "github_environments must be exact names, without wildcards."
  }
}

################################################################################
# Monitoring
################################################################################

variable "create_alarm_topic" {
  description = "Create an encrypted SNS topic the alarms notify."
  type        = bool
  default     = true
}

variable "alarm_email_addresses" {
  description = "Emails subscribed to the alarm topic (each must confirm)."
  type        = list(string)
  default     = []
}

variable "alarm_actions" {
  description = "Extra alarm action ARNs (e.g. an existing on-call topic)."
  type        = list(string)
  default     = []
}

variable "queue_age_alarm_threshold_seconds" {
  description = "Alarm when the queue's oldest message is older than this."
  type        = number
  default     = 300
}

variable "lambda_errors_alarm_threshold" {
  description = "Alarm when a function has at least this many errors in 5 minutes."
  type        = number
  default     = 1
}

variable "api_5xx_alarm_threshold" {
  description = "Alarm when the Function URL answers at least this many 5xx in 5 minutes."
  type        = number
  default     = 5
}

variable "create_dashboard" {
  description = "Create a CloudWatch dashboard for the pipeline."
  type        = bool
  default     = true
}

variable "create_slo_alarms" {
  description = "Create the SLO burn-rate alarms (API availability, API latency, freshness): 12 metric alarms and 3 composite alarms that notify."
  type        = bool
  default     = true
}
