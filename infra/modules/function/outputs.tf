output "function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the function."
  value       = aws_lambda_function.this.arn
}

output "role_name" {
  description = "Name of the function's execution role."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.this.arn
}

output "role_policy" {
  description = "JSON policy document attached to the execution role."
  value       = aws_iam_role_policy.this.policy
}

output "log_group_name" {
  description = "Name of the function's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "live_alias_arn" {
  description = "ARN of the `live` alias the event source invokes, or null without publish_versions."
  value       = one(aws_lambda_alias.live[*].arn)
}

output "configuration" {
  description = "The function's deployed settings, for review: runtime, memory_size, timeout, tracing_mode, reserved_concurrent_executions (-1: none), maximum_concurrency (of the event source), log_format, application_log_level, system_log_level, log_retention_in_days, log_kms_key_arn, live_version (null without versions)."
  value = {
    runtime                        = aws_lambda_function.this.runtime
    memory_size                    = aws_lambda_function.this.memory_size
    timeout                        = aws_lambda_function.this.timeout
    tracing_mode                   = aws_lambda_function.this.tracing_config[0].mode
    reserved_concurrent_executions = aws_lambda_function.this.reserved_concurrent_executions
    maximum_concurrency            = aws_lambda_event_source_mapping.this.scaling_config[0].maximum_concurrency
    log_format                     = aws_lambda_function.this.logging_config[0].log_format
    application_log_level          = aws_lambda_function.this.logging_config[0].application_log_level
    system_log_level               = aws_lambda_function.this.logging_config[0].system_log_level
    log_retention_in_days          = aws_cloudwatch_log_group.this.retention_in_days
    log_kms_key_arn                = aws_cloudwatch_log_group.this.kms_key_id
    live_version                   = one(aws_lambda_alias.live[*].function_version)
  }
}

output "event_source_mapping_uuid" {
  description = "UUID of the SQS event source mapping."
  value       = aws_lambda_event_source_mapping.this.uuid
}
