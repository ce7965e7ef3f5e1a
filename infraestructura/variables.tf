variable "aws_region" {
  description = "Region of the deployment."
  type        = string
  default     = "us-east-1"
}

variable "environment" {
  description = "Environment label (dev, staging, prod), added as a tag."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "name" {
  description = "System name; prefixes every resource (see the module's name)."
  type        = string
}

variable "image_tag" {
  description = "Image tag the functions are first created with (a pushed git SHA)."
  type        = string
}

variable "azs" {
  description = "Availability zones of the VPC."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b"]
}

variable "nat_gateway_mode" {
  description = "single, per_az or none."
  type        = string
  default     = "single"
}

variable "enable_vpc_endpoints" {
  description = "Interface endpoints for SNS, SQS and Secrets Manager."
  type        = bool
  default     = false
}

variable "db_engine_version" {
  description = "Aurora PostgreSQL engine version."
  type        = string
  default     = "16.6"
}

variable "db_min_capacity" {
  description = "Minimum ACU (0 = auto-pause)."
  type        = number
  default     = 0.5
}

variable "db_max_capacity" {
  description = "Maximum ACU."
  type        = number
  default     = 4
}

variable "db_instance_count" {
  description = "Aurora instances (1 writer + readers)."
  type        = number
  default     = 1
}

variable "db_backup_retention_days" {
  description = "Days of automated backups."
  type        = number
  default     = 7
}

variable "db_deletion_protection" {
  description = "Refuse to delete the cluster."
  type        = bool
  default     = true
}

variable "db_skip_final_snapshot" {
  description = "Skip the final snapshot on destroy."
  type        = bool
  default     = false
}

variable "api_reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) the API."
  type        = number
  default     = 10
}

variable "create_rds_proxy" {
  description = "RDS Proxy in front of Aurora (needs db_min_capacity > 0)."
  type        = bool
  default     = false
}

variable "subscriber_max_concurrency" {
  description = "Most concurrent subscriber invocations (2-1000)."
  type        = number
  default     = 5
}

variable "log_retention_days" {
  description = "Retention of the functions' logs."
  type        = number
  default     = 30
}

variable "api_function_url_auth_type" {
  description = "AWS_IAM (default) or NONE (public API; read the README first)."
  type        = string
  default     = "AWS_IAM"
}

variable "ecr_force_delete" {
  description = "Delete image repositories with their images on destroy."
  type        = bool
  default     = false
}

variable "github_repository" {
  description = "owner/name of the repository allowed to deploy."
  type        = string
}

variable "github_branches" {
  description = "Branches allowed to deploy."
  type        = list(string)
  default     = ["main"]
}

variable "github_environments" {
  description = "GitHub environments allowed to deploy."
  type        = list(string)
  default     = []
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (false if another stack owns it)."
  type        = bool
  default     = true
}

variable "github_oidc_provider_arn" {
  description = "Existing GitHub OIDC provider ARN when create_github_oidc_provider is false."
  type        = string
  default     = null
}

variable "alarm_email_addresses" {
  description = "Emails notified by the alarms."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Extra default tags."
  type        = map(string)
  default     = {}
}
