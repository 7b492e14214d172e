output "queue_url" {
  description = "URL of the queue."
  value       = aws_sqs_queue.this.id
}

output "queue_arn" {
  description = "ARN of the queue."
  value       = aws_sqs_queue.this.arn
}

output "queue_name" {
  description = "Name of the queue."
  value       = aws_sqs_queue.this.name
}

output "visibility_timeout_seconds" {
  description = "Visibility timeout of the queue, for checks against a consumer's timeout."
  value       = aws_sqs_queue.this.visibility_timeout_seconds
}

output "dlq_url" {
  description = "URL of the dead-letter queue."
  value       = aws_sqs_queue.dlq.id
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dlq.arn
}

output "dlq_name" {
  description = "Name of the dead-letter queue."
  value       = aws_sqs_queue.dlq.name
}
