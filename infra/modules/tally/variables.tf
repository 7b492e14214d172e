variable "environment" {
  description = "Name of the environment (dev, prod, ...): every resource is named `tally-<environment>-<suffix>`."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,16}[a-z0-9]$", var.environment))
    error_message = "environment must be 2-18 lowercase letters, digits or hyphens, not starting or ending with a hyphen."
  }
}

variable "pipeline" {
  description = "The decoded pipeline.json at the repository root: the names and settings the local stack reads too. Keys this module does not know (such as `$comment`) are ignored."
  type = object({
    inputPrefix   = string
    bucketSuffix  = string
    lambdaRuntime = string
    table = object({
      suffix       = string
      partitionKey = string
      sortKey      = string
      ttlAttribute = string
      ttlDays      = number
    })
    queues = object({
      ingest      = object({ suffix = string, visibilityTimeoutSeconds = number, retentionSeconds = number, maxReceiveCount = number })
      aggregation = object({ suffix = string, visibilityTimeoutSeconds = number, retentionSeconds = number, maxReceiveCount = number })
      output      = object({ suffix = string, visibilityTimeoutSeconds = number, retentionSeconds = number, maxReceiveCount = number })
    })
    dlqSuffix           = string
    dlqRetentionSeconds = number
    functions = object({
      ingest     = object({ suffix = string, sourceQueue = string, timeoutSeconds = number, memoryMb = number, batchSize = number, maximumConcurrency = number })
      aggregator = object({ suffix = string, sourceQueue = string, timeoutSeconds = number, memoryMb = number, batchSize = number, maximumConcurrency = number })
    })
    limits = object({
      maxObjectBytes   = number
      maxLineBytes     = number
      segmentBytes     = number
      maxRowErrors     = number
      rowsPerPartition = number
    })
    environment = object({
      ingest     = list(string)
      aggregator = list(string)
    })
  })
}

variable "package_dir" {
  description = "Folder holding the build's `ingest.zip` and `aggregator.zip`; null is `dist/` at the repository root."
  type        = string
  default     = null
}

variable "overrides" {
  description = <<-EOT
    The settings of this environment that are not in pipeline.json, or differ from it. Each left
    out keeps its default: concurrency from pipeline.json, logs kept 30 days as text, PassThrough
    tracing, no deletion protection, input kept forever, no alarm topic, and every optional
    hardening off. `functions.<name>.live_version` points a function's `live` alias at an earlier
    version (with publish_function_versions): a rollback is that one line.
  EOT
  type = object({
    functions = optional(object({
      ingest = optional(object({
        maximum_concurrency  = optional(number)
        reserved_concurrency = optional(number)
        live_version         = optional(string)
      }), {})
      aggregator = optional(object({
        maximum_concurrency  = optional(number)
        reserved_concurrency = optional(number)
        live_version         = optional(string)
      }), {})
    }), {})
    log_retention_in_days       = optional(number, 30)
    tracing_mode                = optional(string, "PassThrough")
    deletion_protection_enabled = optional(bool, false)
    input_expiration_days       = optional(number)
    queue_age_alarm_threshold_seconds = optional(object({
      ingest      = optional(number)
      aggregation = optional(number)
      output      = optional(number)
    }), {})
    alarm_email               = optional(string)
    kms_key_enabled           = optional(bool, false)
    access_logs_enabled       = optional(bool, false)
    publish_function_versions = optional(bool, false)
    log_format                = optional(string, "Text")
    application_log_level     = optional(string)
    system_log_level          = optional(string)
  })
  default = {}
}
