locals {
  environment = "dev"

  # The one description of resource names and settings, shared with the local stack.
  pipeline = jsondecode(file("${path.module}/../../../pipeline.json"))
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "tally"
      Environment = local.environment
    }
  }
}

module "pipeline" {
  source = "../../modules/pipeline"

  name          = "tally-${local.environment}"
  input_prefix  = local.pipeline.inputPrefix
  bucket_suffix = local.pipeline.bucketSuffix

  queues = {
    for k, q in local.pipeline.queues : k => {
      suffix                     = q.suffix
      visibility_timeout_seconds = q.visibilityTimeoutSeconds
      retention_seconds          = q.retentionSeconds
      max_receive_count          = q.maxReceiveCount
    }
  }
  dlq_suffix            = local.pipeline.dlqSuffix
  dlq_retention_seconds = local.pipeline.dlqRetentionSeconds

  table = {
    suffix        = local.pipeline.table.suffix
    partition_key = local.pipeline.table.partitionKey
    sort_key      = local.pipeline.table.sortKey
    ttl_attribute = local.pipeline.table.ttlAttribute
    ttl_days      = local.pipeline.table.ttlDays
  }

  functions = {
    for k, f in local.pipeline.functions : k => {
      suffix          = f.suffix
      source_queue    = f.sourceQueue
      timeout_seconds = f.timeoutSeconds
      memory_mb       = f.memoryMb
      batch_size      = f.batchSize
      # Dev runs small batches: two concurrent invocations (the SQS minimum) keep costs and
      # DynamoDB load low.
      maximum_concurrency = 2
    }
  }
  function_packages = {
    ingest     = "${path.module}/../../../dist/ingest.zip"
    aggregator = "${path.module}/../../../dist/aggregator.zip"
  }

  limits = {
    max_object_bytes = local.pipeline.limits.maxObjectBytes
    max_line_bytes   = local.pipeline.limits.maxLineBytes
    max_row_errors   = local.pipeline.limits.maxRowErrors
  }
  environment_variable_names = local.pipeline.environment

  log_retention_in_days                    = 14
  tracing_mode                             = var.tracing_mode
  deletion_protection_enabled              = false
  input_expiration_days                    = 7
  ingest_queue_age_alarm_threshold_seconds = 3600
  create_alarm_topic                       = var.alarm_email != null
  alarm_email                              = var.alarm_email
}
