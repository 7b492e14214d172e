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
  description = "Email address notified by the alarms; null creates no alarm topic."
  type        = string
  default     = null
}

variable "tracing_mode" {
  description = "X-Ray tracing mode of the functions: Active records traces (and sets POWERTOOLS_TRACE_ENABLED=true), PassThrough only follows a traced caller."
  type        = string
  default     = "PassThrough"

  validation {
    condition     = contains(["Active", "PassThrough"], var.tracing_mode)
    error_message = "tracing_mode must be Active or PassThrough."
  }
}

variable "deletion_protection_enabled" {
  description = "Whether DynamoDB refuses to delete the staging table. Set it to false and apply before `terraform destroy`."
  type        = bool
  default     = false
}

variable "package_dir" {
  description = "Folder holding the build's ingest.zip and aggregator.zip; null is dist/ at the repository root."
  type        = string
  default     = null
}
