variable "aws_region" {
  description = "Region of all systems."
  type        = string
  default     = "us-east-1"
}

variable "vpc_cidr" {
  description = "CIDR of the shared VPC."
  type        = string
  default     = "10.20.0.0/16"
}

variable "azs" {
  description = "Availability zones of the shared VPC."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b"]
}

variable "github_repository" {
  description = "owner/name of the repository that deploys every system (one GitHub environment per system)."
  type        = string
}

variable "alarm_email_addresses" {
  description = "Emails notified by every system's alarms."
  type        = list(string)
  default     = []
}

variable "systems" {
  description = "Systems to create, keyed by system name."
  type = map(object({
    image_tag                  = string
    owner                      = string
    db_min_capacity            = optional(number, 0)
    db_max_capacity            = optional(number, 2)
    protected                  = optional(bool, true)
    subscriber_max_concurrency = optional(number, 2)
  }))

  validation {
    condition     = alltrue([for name in keys(var.systems) : can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", name))])
    error_message = "Each system key must be a valid system name (3-40 of a-z, 0-9, '-')."
  }
}

variable "create_fleet_dashboard" {
  description = "Create the ingesta-fleet CloudWatch dashboard: every system in the account and region, found by SEARCH, worst first."
  type        = bool
  default     = true
}
