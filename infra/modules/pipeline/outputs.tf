output "bucket_name" {
  description = "Name of the input bucket."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the input bucket."
  value       = aws_s3_bucket.this.arn
}

output "input_prefix" {
  description = "Key prefix to upload batches under."
  value       = var.input_prefix
}

output "ingest_queue_url" {
  description = "URL of the ingest queue (S3 notifications)."
  value       = module.queues["ingest"].queue_url
}

output "aggregation_queue_url" {
  description = "URL of the aggregation queue (batch ready messages)."
  value       = module.queues["aggregation"].queue_url
}

output "output_queue_url" {
  description = "URL of the output queue (customer and error messages)."
  value       = module.queues["output"].queue_url
}

output "dlq_urls" {
  description = "URLs of the dead-letter queues, by queue (ingest, aggregation, output)."
  value       = { for k, q in module.queues : k => q.dlq_url }
}

output "dlq_arns" {
  description = "ARNs of the dead-letter queues, by queue; the source of `aws sqs start-message-move-task`."
  value       = { for k, q in module.queues : k => q.dlq_arn }
}

output "table_name" {
  description = "Name of the staging table."
  value       = module.staging_table.table_name
}

output "function_names" {
  description = "Names of the functions, by function (ingest, aggregator)."
  value       = { for k, f in module.functions : k => f.function_name }
}

output "function_environment_variables" {
  description = "Environment variables of each function: those named in environment_variable_names plus POWERTOOLS_TRACE_ENABLED, which follows tracing_mode."
  value       = local.function_environment
}

output "function_role_policies" {
  description = "JSON policy document of each function's role, for review."
  value       = { for k, f in module.functions : k => f.role_policy }
}

output "alarm_topic_arn" {
  description = "ARN of the alarm topic, or null when none is created."
  value       = one(aws_sns_topic.alarms[*].arn)
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "saved_queries" {
  description = "The saved Logs Insights queries over both functions' log groups, by query (batch_timeline, errors): `id` (query definition id) and `name`."
  value       = { for k, q in aws_cloudwatch_query_definition.saved : k => { id = q.query_definition_id, name = q.name } }
}

output "logs_insights_url" {
  description = "Console URL of CloudWatch Logs Insights in the pipeline's region, where the saved queries are listed."
  value       = local.logs_insights_url
}
