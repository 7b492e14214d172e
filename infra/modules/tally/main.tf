# pipeline.json in the pipeline module's terms, plus one environment's overrides: the env roots
# (infra/envs/*) are then only a backend, a provider and what differs.
locals {
  package_dir = coalesce(var.package_dir, "${path.module}/../../../dist")
  functions   = var.overrides.functions
}

module "pipeline" {
  source = "../pipeline"

  name          = "tally-${var.environment}"
  input_prefix  = var.pipeline.inputPrefix
  bucket_suffix = var.pipeline.bucketSuffix
  runtime       = var.pipeline.lambdaRuntime

  queues = {
    for k, q in var.pipeline.queues : k => {
      suffix                     = q.suffix
      visibility_timeout_seconds = q.visibilityTimeoutSeconds
      retention_seconds          = q.retentionSeconds
      max_receive_count          = q.maxReceiveCount
    }
  }
  dlq_suffix            = var.pipeline.dlqSuffix
  dlq_retention_seconds = var.pipeline.dlqRetentionSeconds

  table = {
    suffix        = var.pipeline.table.suffix
    partition_key = var.pipeline.table.partitionKey
    sort_key      = var.pipeline.table.sortKey
    ttl_attribute = var.pipeline.table.ttlAttribute
    ttl_days      = var.pipeline.table.ttlDays
  }

  functions = {
    for k, f in var.pipeline.functions : k => {
      suffix              = f.suffix
      source_queue        = f.sourceQueue
      timeout_seconds     = f.timeoutSeconds
      memory_mb           = f.memoryMb
      batch_size          = f.batchSize
      maximum_concurrency = coalesce(local.functions[k].maximum_concurrency, f.maximumConcurrency)
    }
  }
  function_packages = { for k in keys(var.pipeline.functions) : k => "${local.package_dir}/${k}.zip" }

  limits = {
    max_object_bytes   = var.pipeline.limits.maxObjectBytes
    max_line_bytes     = var.pipeline.limits.maxLineBytes
    segment_bytes      = var.pipeline.limits.segmentBytes
    max_row_errors     = var.pipeline.limits.maxRowErrors
    rows_per_partition = var.pipeline.limits.rowsPerPartition
  }
  environment_variable_names = var.pipeline.environment

  log_retention_in_days             = var.overrides.log_retention_in_days
  tracing_mode                      = var.overrides.tracing_mode
  deletion_protection_enabled       = var.overrides.deletion_protection_enabled
  input_expiration_days             = var.overrides.input_expiration_days
  queue_age_alarm_threshold_seconds = var.overrides.queue_age_alarm_threshold_seconds
  create_alarm_topic                = var.overrides.alarm_email != null
  alarm_email                       = var.overrides.alarm_email

  kms_key_enabled           = var.overrides.kms_key_enabled
  access_logs_enabled       = var.overrides.access_logs_enabled
  reserved_concurrency      = { for k, f in local.functions : k => f.reserved_concurrency if f.reserved_concurrency != null }
  publish_function_versions = var.overrides.publish_function_versions
  live_function_versions    = { for k, f in local.functions : k => f.live_version if f.live_version != null }
  log_format                = var.overrides.log_format
  application_log_level     = var.overrides.application_log_level
  system_log_level          = var.overrides.system_log_level
}
