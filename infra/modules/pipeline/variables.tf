variable "name" {
  description = "Prefix of every resource name, `tally-<environment>`; resources are named `<name>-<suffix>`."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,22}[a-z0-9]$", var.name))
    error_message = "name must be 3-24 lowercase letters, digits or hyphens (it prefixes the bucket name), not starting or ending with a hyphen."
  }
}

variable "input_prefix" {
  description = "Key prefix under which batches are uploaded (`<prefix><batch-id>/<kind>.csv`)."
  type        = string
  default     = "incoming/"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.'()-]+(/[A-Za-z0-9!_.'()-]+)*/$", var.input_prefix))
    error_message = "input_prefix must be a relative key prefix ending with '/', e.g. incoming/."
  }
}

variable "bucket_suffix" {
  description = "Suffix of the input bucket's name prefix: the bucket gets `bucket_prefix = \"<name>-<bucket_suffix>-\"`, and AWS appends a unique part because bucket names are global."
  type        = string
  default     = "input"

  validation {
    condition     = can(regex("^[a-z0-9-]{1,10}$", var.bucket_suffix))
    error_message = "bucket_suffix must be 1-10 lowercase letters, digits or hyphens."
  }
}

variable "bucket_force_destroy" {
  description = "Whether `terraform destroy` may delete the input bucket with objects (and versions) still in it."
  type        = bool
  default     = false
}

variable "input_expiration_days" {
  description = "Days after which uploaded objects under input_prefix (and their noncurrent versions) expire; null keeps them."
  type        = number
  default     = null

  validation {
    condition     = var.input_expiration_days == null || try(var.input_expiration_days >= 1 && floor(var.input_expiration_days) == var.input_expiration_days, false)
    error_message = "input_expiration_days must be null or a whole number of at least 1."
  }
}

variable "queues" {
  description = "Settings of the ingest, aggregation and output queues; each gets a DLQ."
  type = object({
    ingest = object({
      suffix                     = string
      visibility_timeout_seconds = number
      retention_seconds          = number
      max_receive_count          = number
    })
    aggregation = object({
      suffix                     = string
      visibility_timeout_seconds = number
      retention_seconds          = number
      max_receive_count          = number
    })
    output = object({
      suffix                     = string
      visibility_timeout_seconds = number
      retention_seconds          = number
      max_receive_count          = number
    })
  })

  validation {
    condition     = length(distinct([for q in values(var.queues) : q.suffix])) == 3
    error_message = "Every queue needs its own suffix."
  }
}

variable "dlq_suffix" {
  description = "Suffix of each DLQ's name, after its queue's name."
  type        = string
  default     = "dlq"

  validation {
    condition     = can(regex("^[a-z0-9-]{1,7}$", var.dlq_suffix))
    error_message = "dlq_suffix must be 1-7 lowercase letters, digits or hyphens."
  }
}

variable "dlq_retention_seconds" {
  description = "How long every DLQ keeps a message; longer than every queue's retention_seconds, because a dead letter keeps its original enqueue time."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dlq_retention_seconds >= 60 && var.dlq_retention_seconds <= 1209600
    error_message = "dlq_retention_seconds must be from 60 to 1209600 (14 days)."
  }

  validation {
    condition     = alltrue([for q in values(var.queues) : var.dlq_retention_seconds > q.retention_seconds])
    error_message = "dlq_retention_seconds must be longer than every queue's retention_seconds (SQS keeps at most 14 days, so shorten the queue's): a dead letter keeps its original enqueue time and would expire in the DLQ at once."
  }
}

variable "table" {
  description = "Settings of the staging table: name suffix, key attributes, TTL attribute and how many days staged rows live."
  type = object({
    suffix        = string
    partition_key = string
    sort_key      = string
    ttl_attribute = string
    ttl_days      = number
  })

  validation {
    condition     = var.table.ttl_days >= 1 && var.table.ttl_days <= 365 && floor(var.table.ttl_days) == var.table.ttl_days
    error_message = "table.ttl_days must be a whole number from 1 to 365."
  }
}

variable "kms_key_enabled" {
  description = "Whether to create a customer managed KMS key (rotated yearly) and encrypt the queues, the staging table, the function log groups and the alarm topic with it, instead of AWS owned or managed keys. The functions may use it only through SQS and DynamoDB (kms:ViaService)."
  type        = bool
  default     = false
}

variable "access_logs_enabled" {
  description = "Whether S3 server access logs of the input bucket go to a bucket of their own, `<name>-access-logs-...`."
  type        = bool
  default     = false
}

variable "access_log_expiration_days" {
  description = "Days after which server access logs expire (with access_logs_enabled)."
  type        = number
  default     = 90

  validation {
    condition     = var.access_log_expiration_days >= 1 && floor(var.access_log_expiration_days) == var.access_log_expiration_days
    error_message = "access_log_expiration_days must be a whole number of at least 1."
  }
}

variable "point_in_time_recovery_enabled" {
  description = "Whether the staging table has point-in-time recovery."
  type        = bool
  default     = true
}

variable "deletion_protection_enabled" {
  description = "Whether the staging table is protected from deletion."
  type        = bool
  default     = false
}

variable "functions" {
  description = "Settings of the ingest and aggregator functions; source_queue is the key in `queues` each consumes."
  type = object({
    ingest = object({
      suffix              = string
      source_queue        = string
      timeout_seconds     = number
      memory_mb           = number
      batch_size          = number
      maximum_concurrency = number
    })
    aggregator = object({
      suffix              = string
      source_queue        = string
      timeout_seconds     = number
      memory_mb           = number
      batch_size          = number
      maximum_concurrency = number
    })
  })

  validation {
    condition     = var.functions.ingest.source_queue == "ingest" && var.functions.aggregator.source_queue == "aggregation"
    error_message = "The ingest function must consume the ingest queue and the aggregator the aggregation queue (the permissions are built for that)."
  }

  validation {
    condition     = alltrue([for f in values(var.functions) : var.queues[f.source_queue].visibility_timeout_seconds >= 6 * f.timeout_seconds])
    error_message = "Each function's source queue needs a visibility timeout of at least 6x the function timeout."
  }
}

variable "runtime" {
  description = "Lambda runtime of both functions (pipeline.json `lambdaRuntime`)."
  type        = string
  default     = "nodejs22.x"

  validation {
    condition     = contains(["nodejs20.x", "nodejs22.x"], var.runtime)
    error_message = "runtime must be nodejs20.x or nodejs22.x (what the AWS provider in use accepts)."
  }
}

variable "reserved_concurrency" {
  description = "Concurrency reserved for a function, by function (ingest, aggregator); a function left out reserves none. At least the function's maximum_concurrency."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.reserved_concurrency) : contains(["ingest", "aggregator"], k)])
    error_message = "reserved_concurrency may name only ingest and aggregator."
  }
}

variable "publish_function_versions" {
  description = "Whether each deployment publishes function versions and the queues invoke each function's `live` alias."
  type        = bool
  default     = false
}

variable "live_function_versions" {
  description = "Version each function's `live` alias points at, by function; a function left out follows the version just published. Set one to an earlier version to roll back. Needs publish_function_versions."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.live_function_versions) : contains(["ingest", "aggregator"], k)])
    error_message = "live_function_versions may name only ingest and aggregator."
  }
}

variable "log_format" {
  description = "Format of the functions' log lines: Text, or JSON (which application_log_level and system_log_level need)."
  type        = string
  default     = "Text"

  validation {
    condition     = contains(["Text", "JSON"], var.log_format)
    error_message = "log_format must be Text or JSON."
  }
}

variable "application_log_level" {
  description = "Lowest level of the functions' own log lines Lambda keeps (TRACE, DEBUG, INFO, WARN, ERROR, FATAL) with log_format JSON; null keeps them all."
  type        = string
  default     = null
}

variable "system_log_level" {
  description = "Lowest level of the Lambda platform's log lines Lambda keeps (DEBUG, INFO, WARN) with log_format JSON; null keeps the default."
  type        = string
  default     = null
}

variable "function_packages" {
  description = "Paths of the deployment zips made by the build, per function."
  type = object({
    ingest     = string
    aggregator = string
  })
}

variable "limits" {
  description = "Input limits passed to the functions: the largest object ingest reads, the longest record, the bytes it reads per segment (a checkpoint after each), the row and referential errors reported one by one per file, and the staged rows per partition of an aggregation."
  type = object({
    max_object_bytes   = number
    max_line_bytes     = number
    segment_bytes      = number
    max_row_errors     = number
    rows_per_partition = number
  })

  validation {
    # The same lower bounds the ingest function validates at cold start (lambdaEnvironments.ts):
    # a value below them would deploy, then fail every invocation.
    condition     = var.limits.max_object_bytes >= 1 && var.limits.max_line_bytes >= 1024 && var.limits.max_line_bytes <= var.limits.max_object_bytes && var.limits.max_row_errors >= 1
    error_message = "limits need max_object_bytes >= 1, 1024 <= max_line_bytes <= max_object_bytes and max_row_errors >= 1."
  }

  validation {
    # A segment must hold a whole record past its mark; ingest refuses a smaller one when it reads.
    condition     = var.limits.segment_bytes >= 2 * var.limits.max_line_bytes
    error_message = "limits.segment_bytes must be at least twice limits.max_line_bytes, so that a record always fits in a segment."
  }

  validation {
    # The aggregator validates it at cold start (lambdaEnvironments.ts), as for the others.
    condition     = var.limits.rows_per_partition >= 1
    error_message = "limits.rows_per_partition must be at least 1."
  }
}

variable "environment_variable_names" {
  description = "Names of the environment variables each function gets (pipeline.json `environment`); the module knows the value of each."
  type = object({
    ingest     = list(string)
    aggregator = list(string)
  })

  validation {
    condition = alltrue([
      for n in flatten(values(var.environment_variable_names)) : contains([
        "TALLY_TABLE_NAME", "TALLY_OUTPUT_QUEUE_URL", "TALLY_AGGREGATION_QUEUE_URL", "TALLY_INGEST_QUEUE_URL",
        "TALLY_INPUT_PREFIX", "TALLY_STAGING_TTL_DAYS", "TALLY_MAX_OBJECT_BYTES", "TALLY_MAX_LINE_BYTES",
        "TALLY_SEGMENT_BYTES", "TALLY_MAX_ROW_ERRORS", "TALLY_ROWS_PER_PARTITION", "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
      ], n)
    ])
    error_message = "environment_variable_names has a name the pipeline module has no value for: add it to local.environment_values in modules/pipeline/main.tf."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the functions' custom metrics (POWERTOOLS_METRICS_NAMESPACE)."
  type        = string
  default     = "Tally"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1-255 valid characters and must not start with AWS/."
  }
}

variable "log_retention_in_days" {
  description = "Days CloudWatch Logs keeps the functions' logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of the values CloudWatch Logs accepts."
  }
}

variable "tracing_mode" {
  description = "X-Ray tracing mode of both functions: Active records traces, adds the X-Ray permissions and sets POWERTOOLS_TRACE_ENABLED=true; PassThrough only follows a traced caller and sets it to false."
  type        = string
  default     = "PassThrough"

  validation {
    condition     = contains(["Active", "PassThrough"], var.tracing_mode)
    error_message = "tracing_mode must be Active or PassThrough."
  }
}

variable "queue_age_alarm_threshold_seconds" {
  description = "Age of the oldest message above which each queue alarms, by queue; below the queue's retention_seconds, after which SQS deletes the message."
  type = object({
    ingest      = optional(number, 900)
    aggregation = optional(number, 3600)
    output      = optional(number, 86400)
  })
  default = {}

  validation {
    condition     = alltrue([for t in values(var.queue_age_alarm_threshold_seconds) : t >= 60])
    error_message = "Every queue_age_alarm_threshold_seconds must be at least 60."
  }

  validation {
    condition     = alltrue([for k, t in var.queue_age_alarm_threshold_seconds : t < var.queues[k].retention_seconds])
    error_message = "Every queue_age_alarm_threshold_seconds must be below its queue's retention_seconds: the alarm must fire before SQS deletes the message."
  }
}

variable "duration_alarm_threshold_percent" {
  description = "Percentage of a function's timeout above which its longest invocation in 5 minutes alarms."
  type        = number
  default     = 80

  validation {
    condition     = var.duration_alarm_threshold_percent >= 50 && var.duration_alarm_threshold_percent < 100
    error_message = "duration_alarm_threshold_percent must be from 50 to below 100."
  }
}

variable "create_alarm_topic" {
  description = "Whether to create an SNS topic that every alarm notifies (on alarm and back to OK)."
  type        = bool
  default     = false
}

variable "alarm_email" {
  description = "Email address subscribed to the alarm topic (the subscription must be confirmed from the mail); null for none. Needs create_alarm_topic."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be null or an email address."
  }

  validation {
    condition     = var.alarm_email == null || var.create_alarm_topic
    error_message = "alarm_email needs create_alarm_topic = true."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
