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
