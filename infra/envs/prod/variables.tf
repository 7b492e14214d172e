variable "region" {
  description = "AWS region of the pipeline."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name, e.g. eu-west-1."
  }
}

variable "alarm_email" {
  description = "Email address subscribed to the alarm topic (confirm the subscription from the mail AWS sends). Required: prod pages someone."
  type        = string

  validation {
    condition     = var.alarm_email != null && can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be an email address: in prod an alarm topic without a subscriber pages nobody."
  }
}

variable "tracing_mode" {
  description = "X-Ray tracing mode of the functions: Active records traces (and sets POWERTOOLS_TRACE_ENABLED=true), PassThrough only follows a traced caller."
  type        = string
  default     = "Active"

  validation {
    condition     = contains(["Active", "PassThrough"], var.tracing_mode)
    error_message = "tracing_mode must be Active or PassThrough."
  }
}

variable "deletion_protection_enabled" {
  description = "Whether DynamoDB refuses to delete the staging table. Set it to false and apply before `terraform destroy`."
  type        = bool
  default     = true
}

variable "package_dir" {
  description = "Folder holding the build's ingest.zip and aggregator.zip; null is dist/ at the repository root."
  type        = string
  default     = null
}
