output "region" {
  description = "AWS region of the pipeline (read from its queues' ARNs)."
  value       = module.pipeline.region
}

output "bucket_name" {
  description = "Name of the input bucket."
  value       = module.pipeline.bucket_name
}

output "bucket_arn" {
  description = "ARN of the input bucket."
  value       = module.pipeline.bucket_arn
}

output "input_prefix" {
  description = "Key prefix to upload batches under."
  value       = module.pipeline.input_prefix
}

output "ingest_queue_url" {
  description = "URL of the ingest queue (S3 notifications)."
  value       = module.pipeline.ingest_queue_url
}

output "aggregation_queue_url" {
  description = "URL of the aggregation queue (batch ready messages)."
  value       = module.pipeline.aggregation_queue_url
}

output "output_queue_url" {
  description = "URL of the output queue (customer and error messages)."
  value       = module.pipeline.output_queue_url
}

output "dlq_urls" {
  description = "URLs of the dead-letter queues, by queue (ingest, aggregation, output)."
  value       = module.pipeline.dlq_urls
}

output "dlq_arns" {
  description = "ARNs of the dead-letter queues, by queue; the source of `aws sqs start-message-move-task`."
  value       = module.pipeline.dlq_arns
}

output "table_name" {
  description = "Name of the staging table."
  value       = module.pipeline.table_name
}

output "function_names" {
  description = "Names of the functions, by function (ingest, aggregator)."
  value       = module.pipeline.function_names
}

output "function_environment_variables" {
  description = "Environment variables of each function: those named in environment_variable_names plus POWERTOOLS_TRACE_ENABLED, which follows tracing_mode."
  value       = module.pipeline.function_environment_variables
}

output "function_role_policies" {
  description = "JSON policy document of each function's role, for review."
  value       = module.pipeline.function_role_policies
}

output "function_role_actions" {
  description = "Every action each function's role allows, sorted, by function: the calls its code makes, log writing, and the X-Ray and KMS actions when those are on."
  value       = module.pipeline.function_role_actions
}

output "function_configurations" {
  description = "Each function's deployed settings, by function: runtime, memory_size, timeout, tracing_mode, reserved_concurrent_executions (-1: none), maximum_concurrency, log_format, log levels, log_retention_in_days, log_kms_key_arn, live_version."
  value       = module.pipeline.function_configurations
}

output "table" {
  description = "The staging table's name, ARN, deletion protection, point-in-time recovery and customer managed key (null: AWS owned)."
  value       = module.pipeline.table
}

output "alarms" {
  description = "Every alarm's name and the topics it notifies (empty without an alarm topic), by alarm name."
  value       = module.pipeline.alarms
}

output "alarm_subscriptions" {
  description = "Subscriptions of the alarm topic (protocol and endpoint), made here."
  value       = module.pipeline.alarm_subscriptions
}

output "kms_key_arn" {
  description = "ARN of the customer managed key, or null when kms_key_enabled is false."
  value       = module.pipeline.kms_key_arn
}

output "access_log_bucket_name" {
  description = "Name of the bucket holding the input bucket's server access logs, or null."
  value       = module.pipeline.access_log_bucket_name
}

output "alarm_topic_arn" {
  description = "ARN of the alarm topic, or null when none is created."
  value       = module.pipeline.alarm_topic_arn
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = module.pipeline.dashboard_name
}

output "saved_queries" {
  description = "The saved Logs Insights queries over both functions' log groups, by query (batch_timeline, errors): `id` (query definition id) and `name`."
  value       = module.pipeline.saved_queries
}

output "logs_insights_url" {
  description = "Console URL of CloudWatch Logs Insights in the pipeline's region, where the saved queries are listed."
  value       = module.pipeline.logs_insights_url
}
