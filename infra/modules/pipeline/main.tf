locals {
  ingest_queue = module.queues["ingest"]

  # The queues are created by this module's provider, so their ARN names the account and region
  # the bucket lives in too; reading them from it avoids an aws_caller_identity lookup.
  account_id = split(":", local.ingest_queue.queue_arn)[4]
  region     = split(":", local.ingest_queue.queue_arn)[3]

  input_objects_arn = "${aws_s3_bucket.this.arn}/${var.input_prefix}*"

  # Every value a function may get; each function gets exactly the names listed for it in
  # var.environment_variable_names (pipeline.json `environment`). Lambda takes strings only.
  environment_values = {
    TALLY_TABLE_NAME             = module.staging_table.table_name
    TALLY_OUTPUT_QUEUE_URL       = module.queues["output"].queue_url
    TALLY_AGGREGATION_QUEUE_URL  = module.queues["aggregation"].queue_url
    TALLY_INPUT_PREFIX           = var.input_prefix
    TALLY_STAGING_TTL_DAYS       = tostring(var.table.ttl_days)
    TALLY_MAX_OBJECT_BYTES       = tostring(var.limits.max_object_bytes)
    TALLY_MAX_LINE_BYTES         = tostring(var.limits.max_line_bytes)
    TALLY_MAX_ROW_ERRORS         = tostring(var.limits.max_row_errors)
    POWERTOOLS_METRICS_NAMESPACE = var.metrics_namespace
  }

  # Outside pipeline.json's lists on purpose: it follows tracing_mode here, while the local
  # stack always sets "false". Powertools Tracer reads it itself. In PassThrough mode Lambda
  # makes no segment unless a traced caller sampled the request, so the Tracer is switched off
  # rather than warn about a missing segment.
  tracing_environment = { POWERTOOLS_TRACE_ENABLED = tostring(var.tracing_mode == "Active") }

  function_environment = {
    for fn, names in var.environment_variable_names : fn => merge(
      { for n in names : n => n == "POWERTOOLS_SERVICE_NAME" ? var.functions[fn].suffix : local.environment_values[n] },
      local.tracing_environment,
    )
  }

  consume_queue_actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]

  policy_statements = {
    ingest = [
      {
        sid       = "ReadInputObjects"
        actions   = ["s3:GetObject"]
        resources = [local.input_objects_arn]
      },
      {
        sid       = "ConsumeIngestQueue"
        actions   = local.consume_queue_actions
        resources = [local.ingest_queue.queue_arn]
      },
      {
        sid       = "SendToOutputAndAggregationQueues"
        actions   = ["sqs:SendMessage"]
        resources = [module.queues["output"].queue_arn, module.queues["aggregation"].queue_arn]
      },
      {
        sid       = "StageRows"
        actions   = ["dynamodb:BatchWriteItem", "dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:Query"]
        resources = [module.staging_table.table_arn]
      },
    ]
    aggregator = [
      {
        sid       = "ConsumeAggregationQueue"
        actions   = local.consume_queue_actions
        resources = [module.queues["aggregation"].queue_arn]
      },
      {
        sid       = "SendToOutputQueue"
        actions   = ["sqs:SendMessage"]
        resources = [module.queues["output"].queue_arn]
      },
      {
        sid       = "ReadStagedRows"
        actions   = ["dynamodb:Query", "dynamodb:GetItem", "dynamodb:UpdateItem"]
        resources = [module.staging_table.table_arn]
      },
    ]
  }

  alarm_actions = aws_sns_topic.alarms[*].arn

  # Powertools Metrics adds the dimension service = POWERTOOLS_SERVICE_NAME, the function's suffix.
  custom_metrics = {
    ingest     = ["RowsAccepted", "RowsRejected", "FilesRejected", "BatchesCompleted"]
    aggregator = ["BatchesAggregated", "CustomerMessages", "ErrorMessages"]
  }

  # Saved Logs Insights queries, shown in the console under the folder "Tally/<name>/" (a "/"
  # in a query definition's name makes a folder). The functions log one JSON object per line
  # (Powertools Logger), so Logs Insights discovers its keys, nested ones as outcome.status.
  # Ingest sets batch_id only once it has parsed the key; a failing invocation has only
  # object_key (incoming/<batch>/<file>), hence the timeline's second condition.
  saved_queries = {
    batch_timeline = {
      name  = "Tally/${var.name}/timeline of one batch"
      query = <<-EOT
        fields @timestamp, service, level, message, batch_id, object_key, outcome.status, outcome.kind, outcome.accepted, outcome.rejected, outcome.requestedAggregation, outcome.customerMessages, outcome.errorMessages, xray_trace_id, function_request_id
        | filter batch_id = "<replace-me>" or object_key like "/<replace-me>/"
        | sort @timestamp asc
        | limit 10000
      EOT
    }
    errors = {
      name  = "Tally/${var.name}/errors of the last hour"
      query = <<-EOT
        fields @timestamp, service, level, message, batch_id, object_key, outcome.status, outcome.code, error.name, error.message, xray_trace_id, @log
        | filter level in ["ERROR", "CRITICAL"] or outcome.status like /rejected/ or @message like /Task timed out|Invoke Error|Runtime\./
        | sort @timestamp desc
        | limit 1000
      EOT
    }
  }

  # AWS documents no deep link to one saved query, so the dashboard links the Logs Insights page
  # and names the queries to pick from its "Saved queries" list.
  console_url         = "https://${local.region}.console.aws.amazon.com/cloudwatch/home?region=${local.region}"
  logs_insights_url   = "${local.console_url}#logsV2:logs-insights"
  function_log_groups = [for k in keys(var.functions) : module.functions[k].log_group_name]
}

################################################################################
# Input bucket
################################################################################

# Bucket names are global, so AWS appends a unique part to "<name>-input-".
resource "aws_s3_bucket" "this" {
  bucket_prefix = "${var.name}-${var.bucket_suffix}-"
  force_destroy = var.bucket_force_destroy

  tags = var.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# SSE-S3 rather than aws:kms: uploads and the ingest function need no KMS key policy or
# kms:Decrypt grant, and there is no per-request KMS cost on large batches. The bucket holds
# short-lived input whose confidentiality needs do not call for a customer managed key.
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })

  # S3 rejects bucket policy changes while the public access block is being changed.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count = var.input_expiration_days == null ? 0 : 1

  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-input"
    status = "Enabled"

    filter {
      prefix = var.input_prefix
    }

    expiration {
      days = var.input_expiration_days
    }

    # The bucket is versioned: expiring the current version only adds a delete marker.
    noncurrent_version_expiration {
      noncurrent_days = var.input_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

# S3 validates that it may send to the queue when the notification is saved, hence depends_on.
# Keys arrive URL-encoded in the events (a space becomes '+'): the ingest function decodes them.
resource "aws_s3_bucket_notification" "this" {
  bucket = aws_s3_bucket.this.id

  queue {
    id            = "csv-uploads"
    queue_arn     = local.ingest_queue.queue_arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = var.input_prefix
    filter_suffix = ".csv"
  }

  depends_on = [aws_sqs_queue_policy.ingest]
}

################################################################################
# Queues and staging table
################################################################################

module "queues" {
  source   = "../queue"
  for_each = var.queues

  name                          = "${var.name}-${each.value.suffix}"
  visibility_timeout_seconds    = each.value.visibility_timeout_seconds
  message_retention_seconds     = each.value.retention_seconds
  max_receive_count             = each.value.max_receive_count
  dlq_name_suffix               = var.dlq_suffix
  dlq_message_retention_seconds = var.dlq_retention_seconds

  tags = var.tags
}

resource "aws_sqs_queue_policy" "ingest" {
  queue_url = local.ingest_queue.queue_url

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AllowInputBucketNotifications"
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = local.ingest_queue.queue_arn
      Condition = {
        ArnEquals    = { "aws:SourceArn" = aws_s3_bucket.this.arn }
        StringEquals = { "aws:SourceAccount" = local.account_id }
      }
    }]
  })
}

module "staging_table" {
  source = "../staging-table"

  name                           = "${var.name}-${var.table.suffix}"
  hash_key                       = var.table.partition_key
  range_key                      = var.table.sort_key
  ttl_attribute                  = var.table.ttl_attribute
  point_in_time_recovery_enabled = var.point_in_time_recovery_enabled
  deletion_protection_enabled    = var.deletion_protection_enabled

  tags = var.tags
}

################################################################################
# Functions
################################################################################

module "functions" {
  source   = "../function"
  for_each = var.functions

  name                  = "${var.name}-${each.value.suffix}"
  filename              = var.function_packages[each.key]
  timeout               = each.value.timeout_seconds
  memory_size           = each.value.memory_mb
  environment_variables = local.function_environment[each.key]
  policy_statements     = local.policy_statements[each.key]
  log_retention_in_days = var.log_retention_in_days
  tracing_mode          = var.tracing_mode

  source_queue_arn                        = module.queues[each.value.source_queue].queue_arn
  source_queue_visibility_timeout_seconds = var.queues[each.value.source_queue].visibility_timeout_seconds
  batch_size                              = each.value.batch_size
  maximum_concurrency                     = each.value.maximum_concurrency

  tags = var.tags
}

################################################################################
# Alarms and dashboard
################################################################################

# Unencrypted on purpose: CloudWatch alarms cannot publish to a topic encrypted with the AWS
# managed key aws/sns, whose key policy cannot be changed to let CloudWatch use it.
resource "aws_sns_topic" "alarms" {
  count = var.create_alarm_topic ? 1 : 0

  name = "${var.name}-alarms"

  tags = var.tags
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  for_each = module.queues

  alarm_name        = "${each.value.dlq_name}-not-empty"
  alarm_description = "Messages of the ${each.key} queue failed ${var.queues[each.key].max_receive_count} times and wait in ${each.value.dlq_name}; fix the cause, then redrive them."

  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value.dlq_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "function" {
  for_each = {
    for pair in setproduct(keys(var.functions), ["Errors", "Throttles"]) : "${pair[0]}-${lower(pair[1])}" => {
      function = pair[0]
      metric   = pair[1]
    }
  }

  alarm_name        = "${module.functions[each.value.function].function_name}-${lower(each.value.metric)}"
  alarm_description = "The ${each.value.function} function reported ${lower(each.value.metric)}."

  namespace           = "AWS/Lambda"
  metric_name         = each.value.metric
  dimensions          = { FunctionName = module.functions[each.value.function].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "ingest_queue_age" {
  alarm_name        = "${local.ingest_queue.queue_name}-oldest-message-age"
  alarm_description = "Uploaded files wait longer than ${var.ingest_queue_age_alarm_threshold_seconds} s to be ingested."

  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = local.ingest_queue.queue_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.ingest_queue_age_alarm_threshold_seconds
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions

  tags = var.tags
}

resource "aws_cloudwatch_query_definition" "saved" {
  for_each = local.saved_queries

  name            = each.value.name
  log_group_names = local.function_log_groups
  query_string    = each.value.query
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name

  dashboard_body = jsonencode({
    widgets = [
      {
        type   = "text"
        x      = 0
        y      = 0
        width  = 24
        height = 4
        properties = {
          markdown = join("\n\n", [
            "## Follow one batch",
            "**Logs**: in [Logs Insights](${local.logs_insights_url}) open *Saved queries*, folder `Tally/${var.name}`: run `${aws_cloudwatch_query_definition.saved["batch_timeline"].name}` after replacing both `<replace-me>` with the batch id, or `${aws_cloudwatch_query_definition.saved["errors"].name}` over the last hour.",
            "**Traces** (tracing_mode Active): in the [CloudWatch console](${local.console_url}) open *X-Ray traces*, *Traces*, and filter on `annotation.batch_id = \"<batch id>\"`.",
            "**Runbook** (read and redrive a DLQ, replay a batch): `infra/README.md`, section *Operations*.",
          ])
        }
      },
      {
        type   = "metric"
        x      = 0
        y      = 4
        width  = 12
        height = 6
        properties = {
          title  = "Messages waiting"
          region = local.region
          stat   = "Maximum"
          period = 60
          view   = "timeSeries"
          metrics = concat(
            [for q in module.queues : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q.queue_name]],
            [for q in module.queues : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q.dlq_name]],
          )
        }
      },
      {
        type   = "metric"
        x      = 12
        y      = 4
        width  = 12
        height = 6
        properties = {
          title   = "Age of oldest message (s)"
          region  = local.region
          stat    = "Maximum"
          period  = 60
          view    = "timeSeries"
          metrics = [for k in ["ingest", "aggregation"] : ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", module.queues[k].queue_name]]
        }
      },
      {
        type   = "metric"
        x      = 0
        y      = 10
        width  = 12
        height = 6
        properties = {
          title  = "Function invocations, errors, throttles"
          region = local.region
          stat   = "Sum"
          period = 300
          view   = "timeSeries"
          # concat, not flatten: each metric must stay a list of its own.
          metrics = concat([
            for f in module.functions : [
              for m in ["Invocations", "Errors", "Throttles"] : ["AWS/Lambda", m, "FunctionName", f.function_name]
            ]
          ]...)
        }
      },
      {
        type   = "metric"
        x      = 12
        y      = 10
        width  = 12
        height = 6
        properties = {
          title   = "Function duration p95 (ms)"
          region  = local.region
          stat    = "p95"
          period  = 300
          view    = "timeSeries"
          metrics = [for f in module.functions : ["AWS/Lambda", "Duration", "FunctionName", f.function_name]]
        }
      },
      {
        type   = "metric"
        x      = 0
        y      = 16
        width  = 12
        height = 6
        properties = {
          title   = "Ingest: rows and files"
          region  = local.region
          stat    = "Sum"
          period  = 300
          view    = "timeSeries"
          metrics = [for m in local.custom_metrics.ingest : [var.metrics_namespace, m, "service", var.functions.ingest.suffix]]
        }
      },
      {
        type   = "metric"
        x      = 12
        y      = 16
        width  = 12
        height = 6
        properties = {
          title   = "Aggregator: batches and messages"
          region  = local.region
          stat    = "Sum"
          period  = 300
          view    = "timeSeries"
          metrics = [for m in local.custom_metrics.aggregator : [var.metrics_namespace, m, "service", var.functions.aggregator.suffix]]
        }
      },
    ]
  })
}
