variable "name" {
  description = "Name of the queue; the DLQ is named `<name>-<dlq_name_suffix>`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,72}$", var.name))
    error_message = "name must be 1-72 characters of letters, digits, hyphens or underscores (80 with the DLQ suffix is the SQS limit)."
  }
}

variable "visibility_timeout_seconds" {
  description = "How long a received message stays hidden from other consumers. For a Lambda source queue, at least 6x the function timeout."
  type        = number
  default     = 30

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200 && floor(var.visibility_timeout_seconds) == var.visibility_timeout_seconds
    error_message = "visibility_timeout_seconds must be a whole number from 0 to 43200 (12 hours)."
  }
}

variable "message_retention_seconds" {
  description = "How long the queue keeps a message."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600 && floor(var.message_retention_seconds) == var.message_retention_seconds
    error_message = "message_retention_seconds must be a whole number from 60 to 1209600 (14 days)."
  }
}

variable "receive_wait_time_seconds" {
  description = "Long-polling wait of ReceiveMessage calls that do not set their own."
  type        = number
  default     = 20

  validation {
    condition     = var.receive_wait_time_seconds >= 0 && var.receive_wait_time_seconds <= 20 && floor(var.receive_wait_time_seconds) == var.receive_wait_time_seconds
    error_message = "receive_wait_time_seconds must be a whole number from 0 to 20."
  }
}

variable "max_receive_count" {
  description = "Receives of a message before SQS moves it to the DLQ."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000 && floor(var.max_receive_count) == var.max_receive_count
    error_message = "max_receive_count must be a whole number from 1 to 1000."
  }
}

variable "dlq_name_suffix" {
  description = "Suffix appended (after a hyphen) to name for the DLQ."
  type        = string
  default     = "dlq"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,7}$", var.dlq_name_suffix))
    error_message = "dlq_name_suffix must be 1-7 letters, digits, hyphens or underscores."
  }
}

variable "dlq_message_retention_seconds" {
  description = "How long the DLQ keeps a message; longer than message_retention_seconds, because SQS keeps a message's original enqueue time when it moves it to a standard DLQ."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dlq_message_retention_seconds >= 60 && var.dlq_message_retention_seconds <= 1209600 && floor(var.dlq_message_retention_seconds) == var.dlq_message_retention_seconds
    error_message = "dlq_message_retention_seconds must be a whole number from 60 to 1209600 (14 days)."
  }

  # A message that reaches the DLQ late in its life would otherwise expire there before anyone
  # could read or redrive it: its age counts from when it entered the source queue.
  validation {
    condition     = var.dlq_message_retention_seconds > var.message_retention_seconds
    error_message = "dlq_message_retention_seconds must be longer than message_retention_seconds: a dead letter keeps its original enqueue time and would expire in the DLQ at once."
  }
}

variable "kms_key_arn" {
  description = "ARN of a customer managed KMS key encrypting both queues; null uses SQS-managed encryption (SSE-SQS). Senders need kms:GenerateDataKey and kms:Decrypt on it, consumers kms:Decrypt."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN."
  }
}

variable "tags" {
  description = "Tags for both queues."
  type        = map(string)
  default     = {}
}
