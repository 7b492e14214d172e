output "region" {
  description = "AWS region of the pipeline."
  value       = var.region
}

output "bucket_name" {
  description = "Name of the input bucket."
  value       = module.pipeline.bucket_name
}

output "input_prefix" {
  description = "Key prefix to upload batches under."
  value       = module.pipeline.input_prefix
}

output "ingest_queue_url" {
  description = "URL of the ingest queue."
  value       = module.pipeline.ingest_queue_url
}

output "aggregation_queue_url" {
  description = "URL of the aggregation queue."
  value       = module.pipeline.aggregation_queue_url
}

output "output_queue_url" {
  description = "URL of the output queue (read results here)."
  value       = module.pipeline.output_queue_url
}

output "dlq_urls" {
  description = "URLs of the dead-letter queues, by queue."
  value       = module.pipeline.dlq_urls
}

output "dlq_arns" {
  description = "ARNs of the dead-letter queues, by queue."
  value       = module.pipeline.dlq_arns
}

output "table_name" {
  description = "Name of the staging table."
  value       = module.pipeline.table_name
}

output "function_names" {
  description = "Names of the functions, by function."
  value       = module.pipeline.function_names
}

output "alarm_topic_arn" {
  description = "ARN of the alarm topic, or null."
  value       = module.pipeline.alarm_topic_arn
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = module.pipeline.dashboard_name
}

output "saved_queries" {
  description = "Saved Logs Insights queries (id and name), by query: batch_timeline, errors."
  value       = module.pipeline.saved_queries
}

output "logs_insights_url" {
  description = "Console URL of CloudWatch Logs Insights, where the saved queries are listed."
  value       = module.pipeline.logs_insights_url
}
