variable "name" {
  description = "Name of the table."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "name must be 3-255 characters of letters, digits, '_', '-' or '.'."
  }
}

variable "hash_key" {
  description = "Partition key attribute (type S)."
  type        = string
  default     = "pk"

  validation {
    condition     = length(var.hash_key) >= 1 && length(var.hash_key) <= 255
    error_message = "hash_key must be 1-255 characters."
  }
}

variable "range_key" {
  description = "Sort key attribute (type S)."
  type        = string
  default     = "sk"

  validation {
    condition     = length(var.range_key) >= 1 && length(var.range_key) <= 255
    error_message = "range_key must be 1-255 characters."
  }
}

variable "ttl_attribute" {
  description = "Attribute holding each item's expiry time in epoch seconds."
  type        = string
  default     = "expires_at"

  validation {
    condition     = length(var.ttl_attribute) >= 1 && length(var.ttl_attribute) <= 255
    error_message = "ttl_attribute must be 1-255 characters."
  }
}

variable "point_in_time_recovery_enabled" {
  description = "Whether continuous backups (point-in-time recovery) are on."
  type        = bool
  default     = true
}

variable "deletion_protection_enabled" {
  description = "Whether DynamoDB refuses to delete the table until this is turned off."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "ARN of a customer managed KMS key for encryption at rest; null uses the AWS managed key `aws/dynamodb`."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN."
  }
}

variable "tags" {
  description = "Tags for the table."
  type        = map(string)
  default     = {}
}
