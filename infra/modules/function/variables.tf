variable "name" {
  description = "Name of the function; also names its role, its policy and its log group `/aws/lambda/<name>`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1-64 letters, digits, hyphens or underscores."
  }
}

variable "description" {
  description = "Description of the function."
  type        = string
  default     = ""

  validation {
    condition     = length(var.description) <= 256
    error_message = "description must be at most 256 characters."
  }
}

variable "filename" {
  description = "Path of the deployment package (a zip made by the build)."
  type        = string

  validation {
    condition     = endswith(var.filename, ".zip")
    error_message = "filename must be the path of a .zip file."
  }
}

variable "handler" {
  description = "Entry point of the function in the package."
  type        = string
  default     = "index.handler"

  validation {
    condition     = can(regex("^[^\\s]+\\.[A-Za-z_$][A-Za-z0-9_$]*$", var.handler))
    error_message = "handler must look like <file>.<export>, e.g. index.handler."
  }
}

variable "runtime" {
  description = "Lambda runtime."
  type        = string
  default     = "nodejs22.x"

  validation {
    condition     = contains(["nodejs20.x", "nodejs22.x"], var.runtime)
    error_message = "runtime must be nodejs20.x or nodejs22.x."
  }
}

variable "architecture" {
  description = "Instruction set of the function."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_size" {
  description = "Memory of the function in MB (CPU grows with it)."
  type        = number
  default     = 1024

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number from 128 to 10240."
  }
}

variable "timeout" {
  description = "Timeout of one invocation in seconds."
  type        = number
  default     = 30

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number from 1 to 900."
  }
}

variable "environment_variables" {
  description = "Environment variables of the function."
  type        = map(string)
  default     = {}
}

variable "policy_statements" {
  description = "Allow statements of the function's policy, built by the caller for least privilege; `conditions` narrow a statement (e.g. `kms:ViaService`). Log writing (and X-Ray when tracing is active) is added by the module."
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.policy_statements : can(regex("^[A-Za-z0-9]+$", s.sid))])
    error_message = "Every sid must be alphanumeric."
  }

  validation {
    condition     = alltrue([for s in var.policy_statements : length(s.actions) > 0 && alltrue([for a in s.actions : can(regex("^[a-z0-9-]+:[A-Za-z0-9]+$", a))])])
    error_message = "Every statement needs actions, each a full service:Action name: no wildcards."
  }

  validation {
    condition     = alltrue([for s in var.policy_statements : length(s.resources) > 0 && alltrue([for r in s.resources : startswith(r, "arn:")])])
    error_message = "Every statement needs resources, each an ARN: \"*\" is not allowed."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of a customer managed KMS key encrypting the log group; null uses CloudWatch Logs' own encryption. The key policy must let the logs service use it for this log group."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be null or a KMS key ARN."
  }
}

variable "log_format" {
  description = "Format of the function's log lines: Text, or JSON, which lets Lambda filter them by application_log_level and system_log_level."
  type        = string
  default     = "Text"

  validation {
    condition     = contains(["Text", "JSON"], var.log_format)
    error_message = "log_format must be Text or JSON."
  }
}

variable "application_log_level" {
  description = "Lowest level of the function's own log lines that Lambda keeps (TRACE, DEBUG, INFO, WARN, ERROR, FATAL); needs log_format JSON. null keeps them all."
  type        = string
  default     = null

  validation {
    condition     = var.application_log_level == null || contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], coalesce(var.application_log_level, "-"))
    error_message = "application_log_level must be null or one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL."
  }

  validation {
    condition     = var.application_log_level == null || var.log_format == "JSON"
    error_message = "application_log_level needs log_format = \"JSON\": Lambda filters only JSON logs."
  }
}

variable "system_log_level" {
  description = "Lowest level of the Lambda platform's log lines that Lambda keeps (DEBUG, INFO, WARN); needs log_format JSON. null keeps the default (INFO)."
  type        = string
  default     = null

  validation {
    condition     = var.system_log_level == null || contains(["DEBUG", "INFO", "WARN"], coalesce(var.system_log_level, "-"))
    error_message = "system_log_level must be null or one of DEBUG, INFO, WARN."
  }

  validation {
    condition     = var.system_log_level == null || var.log_format == "JSON"
    error_message = "system_log_level needs log_format = \"JSON\": Lambda filters only JSON logs."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for the function (taken from the account's pool, and its ceiling); null reserves none. At least maximum_concurrency, or the event source would be throttled."
  type        = number
  default     = null

  validation {
    condition     = var.reserved_concurrent_executions == null || try(var.reserved_concurrent_executions >= var.maximum_concurrency && floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions, false)
    error_message = "reserved_concurrent_executions must be null or a whole number of at least maximum_concurrency: fewer would throttle the SQS event source, whose messages then return to the queue and count towards the DLQ."
  }
}

variable "publish_versions" {
  description = "Whether each deployment publishes a function version and the SQS event source invokes the `live` alias instead of $LATEST."
  type        = bool
  default     = false
}

variable "live_version" {
  description = "Version the `live` alias points at (a rollback: an earlier published version); null follows the version this deployment published. Needs publish_versions."
  type        = string
  default     = null

  validation {
    condition     = var.live_version == null || can(regex("^[1-9][0-9]*$", var.live_version))
    error_message = "live_version must be null or a published version number, e.g. \"7\"."
  }

  validation {
    condition     = var.live_version == null || var.publish_versions
    error_message = "live_version needs publish_versions = true."
  }
}

variable "log_retention_in_days" {
  description = "Days CloudWatch Logs keeps the function's logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "tracing_mode" {
  description = "X-Ray tracing mode: Active samples and records traces (and adds the X-Ray permissions), PassThrough only follows upstream sampling decisions."
  type        = string
  default     = "PassThrough"

  validation {
    condition     = contains(["Active", "PassThrough"], var.tracing_mode)
    error_message = "tracing_mode must be Active or PassThrough."
  }
}

variable "source_queue_arn" {
  description = "ARN of the SQS queue the function consumes."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$", var.source_queue_arn))
    error_message = "source_queue_arn must be an SQS queue ARN."
  }
}

variable "source_queue_visibility_timeout_seconds" {
  description = "Visibility timeout of the source queue; must be at least 6x timeout."
  type        = number

  validation {
    condition     = var.source_queue_visibility_timeout_seconds >= 0 && var.source_queue_visibility_timeout_seconds <= 43200
    error_message = "source_queue_visibility_timeout_seconds must be from 0 to 43200."
  }
}

variable "batch_size" {
  description = "Most messages passed to one invocation."
  type        = number
  default     = 10

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 10000 && floor(var.batch_size) == var.batch_size
    error_message = "batch_size must be a whole number from 1 to 10000."
  }

  validation {
    condition     = var.batch_size <= 10 || var.maximum_batching_window_in_seconds >= 1
    error_message = "A batch_size above 10 needs maximum_batching_window_in_seconds of at least 1."
  }
}

variable "maximum_batching_window_in_seconds" {
  description = "How long Lambda gathers messages before invoking, in seconds."
  type        = number
  default     = 0

  validation {
    condition     = var.maximum_batching_window_in_seconds >= 0 && var.maximum_batching_window_in_seconds <= 300 && floor(var.maximum_batching_window_in_seconds) == var.maximum_batching_window_in_seconds
    error_message = "maximum_batching_window_in_seconds must be a whole number from 0 to 300."
  }
}

variable "maximum_concurrency" {
  description = "Most concurrent invocations the SQS event source starts."
  type        = number
  default     = 2

  validation {
    condition     = var.maximum_concurrency >= 2 && var.maximum_concurrency <= 1000 && floor(var.maximum_concurrency) == var.maximum_concurrency
    error_message = "maximum_concurrency must be a whole number from 2 to 1000."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
