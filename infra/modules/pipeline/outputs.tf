output "region" {
  description = "AWS region of the pipeline (read from its queues' ARNs)."
  value       = local.region
}

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

output "function_role_actions" {
  description = "Every action each function's role allows, sorted, by function: the calls its code makes, log writing, and the X-Ray and KMS actions when those are on."
  value = {
    for k, f in module.functions : k => sort(distinct(flatten([for s in jsondecode(f.role_policy).Statement : s.Action])))
  }
}

output "function_configurations" {
  description = "Each function's deployed settings, by function: runtime, memory_size, timeout, tracing_mode, reserved_concurrent_executions (-1: none), maximum_concurrency, log_format, log levels, log_retention_in_days, log_kms_key_arn, live_version."
  value       = { for k, f in module.functions : k => f.configuration }
}

output "table" {
  description = "The staging table's name, ARN, deletion protection, point-in-time recovery and customer managed key (null: AWS owned)."
  value = {
    name                           = module.staging_table.table_name
    arn                            = module.staging_table.table_arn
    deletion_protection_enabled    = module.staging_table.deletion_protection_enabled
    point_in_time_recovery_enabled = module.staging_table.point_in_time_recovery_enabled
    kms_key_arn                    = module.staging_table.kms_key_arn
  }
}

output "alarms" {
  description = "Every alarm's name and the topics it notifies (empty without an alarm topic), by alarm name."
  value = {
    for a in concat(
      values(aws_cloudwatch_metric_alarm.dlq_not_empty),
      values(aws_cloudwatch_metric_alarm.function),
      values(aws_cloudwatch_metric_alarm.queue_age),
      values(aws_cloudwatch_metric_alarm.table),
      values(aws_cloudwatch_metric_alarm.duration),
    ) : a.alarm_name => sort(a.alarm_actions)
  }
}

output "alarm_subscriptions" {
  description = "Subscriptions of the alarm topic (protocol and endpoint), made here."
  value       = [for s in aws_sns_topic_subscription.alarm_email : { protocol = s.protocol, endpoint = s.endpoint }]
}

output "kms_key_arn" {
  description = "ARN of the customer managed key, or null when kms_key_enabled is false."
  value       = local.kms_key_arn
}

output "access_log_bucket_name" {
  description = "Name of the bucket holding the input bucket's server access logs, or null."
  value       = one(aws_s3_bucket.access_logs[*].id)
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
