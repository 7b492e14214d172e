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
  description = "Email address subscribed to the alarm topic (confirm the subscription from the mail); null for none."
  type        = string
  default     = null
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
