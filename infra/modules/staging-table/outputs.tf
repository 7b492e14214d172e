output "table_name" {
  description = "Name of the table."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "ARN of the table."
  value       = aws_dynamodb_table.this.arn
}

output "hash_key" {
  description = "Partition key attribute."
  value       = aws_dynamodb_table.this.hash_key
}

output "range_key" {
  description = "Sort key attribute."
  value       = aws_dynamodb_table.this.range_key
}

output "ttl_attribute" {
  description = "Attribute DynamoDB reads item expiry from."
  value       = var.ttl_attribute
}

output "deletion_protection_enabled" {
  description = "Whether the table is protected from deletion."
  value       = aws_dynamodb_table.this.deletion_protection_enabled
}

output "point_in_time_recovery_enabled" {
  description = "Whether point-in-time recovery is on."
  value       = aws_dynamodb_table.this.point_in_time_recovery[0].enabled
}

output "kms_key_arn" {
  description = "ARN of the customer managed key encrypting the table, or null (the AWS managed key)."
  value       = var.kms_key_arn
}
