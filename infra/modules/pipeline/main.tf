locals {
  ingest_queue = module.queues["ingest"]

  # The queues are created by this module's provider, so their ARN names the account and region
  # the bucket lives in too; reading them from it avoids an aws_caller_identity lookup.
  partition  = split(":", local.ingest_queue.queue_arn)[1]
  account_id = split(":", local.ingest_queue.queue_arn)[4]
  region     = split(":", local.ingest_queue.queue_arn)[3]

  kms_key_arn = one(aws_kms_key.this[*].arn)

  input_objects_arn = "${aws_s3_bucket.this.arn}/${var.input_prefix}*"

  # Every value a function may get; each function gets exactly the names listed for it in
  # var.environment_variable_names (pipeline.json `environment`). Lambda takes strings only.
  environment_values = {
    TALLY_TABLE_NAME             = module.staging_table.table_name
    TALLY_OUTPUT_QUEUE_URL       = module.queues["output"].queue_url
    TALLY_AGGREGATION_QUEUE_URL  = module.queues["aggregation"].queue_url
    TALLY_INGEST_QUEUE_URL       = local.ingest_queue.queue_url
    TALLY_INPUT_PREFIX           = var.input_prefix
    TALLY_STAGING_TTL_DAYS       = tostring(var.table.ttl_days)
    TALLY_MAX_OBJECT_BYTES       = tostring(var.limits.max_object_bytes)
    TALLY_MAX_LINE_BYTES         = tostring(var.limits.max_line_bytes)
    TALLY_SEGMENT_BYTES          = tostring(var.limits.segment_bytes)
    TALLY_MAX_ROW_ERRORS         = tostring(var.limits.max_row_errors)
    TALLY_ROWS_PER_PARTITION     = tostring(var.limits.rows_per_partition)
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

  # What each function's role may do, one map per role (statement id => actions, resources):
  # every action is a call the function's code makes (through the adapters in libs/aws-clients),
  # or that Lambda makes for it (the event source's receive, delete and queue attributes). Each
  # list equals what the code was seen calling: tests/pipeline.tftest.hcl fails on a grant too
  # many or too few against infra/iam/observed-operations.json (`npm run iam:observe`; see
  # infra/README.md, "Least privilege"). The function module adds log writing (and X-Ray with
  # Active tracing), and kms_role_statement below is added with the customer managed key.
  role_statements = {
    ingest = {
      # The event's versionId pins the upload read (GetObject with VersionId needs
      # s3:GetObjectVersion); without one, GetObject with IfMatch on the eTag.
      ReadInputObjects = {
        actions   = ["s3:GetObject", "s3:GetObjectVersion"]
        resources = [local.input_objects_arn]
      }
      # Without it S3 answers a read of a deleted key or version with 403 (AccessDenied) rather
      # than 404, so a vanished upload would look like a permissions failure and end in the DLQ.
      # Not narrowed by an s3:prefix condition: AWS documents the 404 for a caller with
      # s3:ListBucket on the bucket, and a GetObject request has no s3:prefix for a condition to
      # match. The bucket holds only input.
      ListInputBucket = {
        actions   = ["s3:ListBucket"]
        resources = [aws_s3_bucket.this.arn]
      }
      ConsumeIngestQueue = {
        actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
        resources = [local.ingest_queue.queue_arn]
      }
      # Messages to the output queue, "batch ready" to the aggregation queue, and the rest of a
      # file too long for one invocation to its own queue (an ingest_continuation).
      SendToOutputAggregationAndIngestQueues = {
        actions   = ["sqs:SendMessage"]
        resources = [module.queues["output"].queue_arn, module.queues["aggregation"].queue_arn, local.ingest_queue.queue_arn]
      }
      # DynamoStagingStore: readBatchState and readRecord (GetItem), putChunks (BatchWriteItem),
      # writeBatchState and writeRecord (UpdateItem).
      StageRows = {
        actions   = ["dynamodb:GetItem", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem"]
        resources = [module.staging_table.table_arn]
      }
    }
    aggregator = {
      ConsumeAggregationQueue = {
        actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
        resources = [module.queues["aggregation"].queue_arn]
      }
      # Messages to the output queue; a continuation of a long aggregation to its own queue.
      SendToOutputAndAggregationQueues = {
        actions   = ["sqs:SendMessage"]
        resources = [module.queues["output"].queue_arn, module.queues["aggregation"].queue_arn]
      }
      # DynamoStagingStore: readBatchState (GetItem), readChunks (Query), writeBatchState
      # (UpdateItem).
      ReadStagedRows = {
        actions   = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"]
        resources = [module.staging_table.table_arn]
      }
    }
  }

  # With the customer managed key, each function reaches it only through the services that hold
  # its data: SQS (receive: Decrypt; send: GenerateDataKey) and DynamoDB (the table key).
  kms_role_statement = {
    UseKeyThroughSqsAndDynamoDb = {
      actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
      resources = aws_kms_key.this[*].arn
      conditions = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["sqs.${local.region}.amazonaws.com", "dynamodb.${local.region}.amazonaws.com"]
      }]
    }
  }

  policy_statements = {
    for fn, statements in local.role_statements : fn => [
      for sid, s in merge(statements, var.kms_key_enabled ? local.kms_role_statement : {}) : {
        sid        = sid
        actions    = s.actions
        resources  = s.resources
        conditions = try(s.conditions, [])
      }
    ]
  }

  # The DynamoDB operations the functions call, for the table's system error alarm.
  table_operations = sort(distinct([
    for action in flatten([for statements in values(local.role_statements) : [for s in values(statements) : s.actions]]) :
    trimprefix(action, "dynamodb:") if startswith(action, "dynamodb:")
  ]))

  alarm_actions = aws_sns_topic.alarms[*].arn

  # Powertools Metrics adds the dimension service = POWERTOOLS_SERVICE_NAME, the function's suffix.
  custom_metrics = {
    ingest     = ["RowsAccepted", "RowsRejected", "FilesRejected", "RevisionsRequested", "IngestContinuations"]
    aggregator = ["BatchesAggregated", "CustomerMessages", "ErrorMessages", "AggregationContinuations", "RevisionsExpired", "PartitionedAggregations", "AggregationTasks"]
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

# Optional: S3 server access logs of the input bucket (who read, wrote or deleted which object),
# in a bucket of their own. S3 delivers them only to a bucket encrypted with SSE-S3.
resource "aws_s3_bucket" "access_logs" {
  count = var.access_logs_enabled ? 1 : 0

  bucket_prefix = "${var.name}-access-logs-"
  force_destroy = var.bucket_force_destroy

  tags = var.tags
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  count = var.access_logs_enabled ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "access_logs" {
  count = var.access_logs_enabled ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  count = var.access_logs_enabled ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# With object ownership enforced, S3's logging service writes under a bucket policy, not ACLs.
resource "aws_s3_bucket_policy" "access_logs" {
  count = var.access_logs_enabled ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowInputBucketAccessLogs"
        Effect    = "Allow"
        Principal = { Service = "logging.s3.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.access_logs[0].arn}/*"
        Condition = {
          ArnLike      = { "aws:SourceArn" = aws_s3_bucket.this.arn }
          StringEquals = { "aws:SourceAccount" = local.account_id }
        }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.access_logs[0].arn, "${aws_s3_bucket.access_logs[0].arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })

  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  count = var.access_logs_enabled ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.access_log_expiration_days
    }
  }
}

resource "aws_s3_bucket_logging" "this" {
  count = var.access_logs_enabled ? 1 : 0

  bucket        = aws_s3_bucket.this.id
  target_bucket = aws_s3_bucket.access_logs[0].id
  target_prefix = "${aws_s3_bucket.this.id}/"

  depends_on = [aws_s3_bucket_policy.access_logs]
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

  # A batch sent in parts lists them in <prefix><batch-id>/_manifest.json.
  queue {
    id            = "batch-manifests"
    queue_arn     = local.ingest_queue.queue_arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = var.input_prefix
    filter_suffix = "/_manifest.json"
  }

  # With the customer managed key, S3 must also be allowed to use it for the encrypted queue.
  depends_on = [aws_sqs_queue_policy.ingest, aws_kms_key_policy.this]
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
  kms_key_arn                   = local.kms_key_arn

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
  kms_key_arn                    = local.kms_key_arn

  tags = var.tags
}

################################################################################
# Optional customer managed key (queues, table, log groups, alarm topic)
################################################################################

resource "aws_kms_key" "this" {
  count = var.kms_key_enabled ? 1 : 0

  description             = "Encrypts the ${var.name} queues, staging table, function logs and alarm topic."
  enable_key_rotation     = true
  deletion_window_in_days = 30

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  count = var.kms_key_enabled ? 1 : 0

  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this[0].key_id
}

# A policy of its own (not the key's `policy` argument) because it names the queues' account and
# region, and the queues are encrypted with the key. What services check the key with when it is
# attached (log groups, the bucket notification, the topic) depends on this policy. The functions get their use of the key
# from their roles (kms_role_statement), which the first statement allows.
resource "aws_kms_key_policy" "this" {
  count = var.kms_key_enabled ? 1 : 0

  key_id = aws_kms_key.this[0].arn

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # The key policy AWS gives a new key: the account administers it, and IAM policies in
        # the account may grant its use. Without it nobody could change the key again.
        Sid       = "AdministerKeyAndAllowIamPolicies"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        # S3 encrypts each event notification it sends to the (encrypted) ingest queue.
        Sid       = "AllowInputBucketNotificationsToEncryptedQueue"
        Effect    = "Allow"
        Principal = { Service = "s3.amazonaws.com" }
        Action    = ["kms:GenerateDataKey", "kms:Decrypt"]
        Resource  = "*"
        Condition = {
          ArnEquals    = { "aws:SourceArn" = aws_s3_bucket.this.arn }
          StringEquals = { "aws:SourceAccount" = local.account_id }
        }
      },
      {
        # CloudWatch encrypts each alarm notification it publishes to the (encrypted) topic.
        Sid       = "AllowAlarmsToPublishToEncryptedTopic"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["kms:GenerateDataKey", "kms:Decrypt"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      },
      {
        # CloudWatch Logs encrypts the functions' log groups, and only those.
        Sid       = "AllowLogsToEncryptFunctionLogGroups"
        Effect    = "Allow"
        Principal = { Service = "logs.${local.region}.amazonaws.com" }
        Action = [
          "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
          "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey",
        ]
        Resource = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${var.name}-*"
          }
        }
      },
    ]
  })
}

################################################################################
# Functions
################################################################################

module "functions" {
  source   = "../function"
  for_each = var.functions

  name                  = "${var.name}-${each.value.suffix}"
  filename              = var.function_packages[each.key]
  runtime               = var.runtime
  timeout               = each.value.timeout_seconds
  memory_size           = each.value.memory_mb
  environment_variables = local.function_environment[each.key]
  policy_statements     = local.policy_statements[each.key]
  log_retention_in_days = var.log_retention_in_days
  log_kms_key_arn       = local.kms_key_arn
  log_format            = var.log_format
  application_log_level = var.application_log_level
  system_log_level      = var.system_log_level
  tracing_mode          = var.tracing_mode

  reserved_concurrent_executions = lookup(var.reserved_concurrency, each.key, null)
  publish_versions               = var.publish_function_versions
  live_version                   = lookup(var.live_function_versions, each.key, null)

  source_queue_arn                        = module.queues[each.value.source_queue].queue_arn
  source_queue_visibility_timeout_seconds = var.queues[each.value.source_queue].visibility_timeout_seconds
  batch_size                              = each.value.batch_size
  maximum_concurrency                     = each.value.maximum_concurrency

  tags = var.tags

  # CloudWatch Logs checks that it may use the customer managed key when a log group is created
  # with it, so the key policy comes first.
  depends_on = [aws_kms_key_policy.this]
}

################################################################################
# Alarms and dashboard
################################################################################

# Unencrypted unless kms_key_enabled: CloudWatch alarms cannot publish to a topic encrypted with
# the AWS managed key aws/sns, whose key policy cannot be changed to let CloudWatch use it; the
# customer managed key's policy lets them.
resource "aws_sns_topic" "alarms" {
  count = var.create_alarm_topic ? 1 : 0

  name              = "${var.name}-alarms"
  kms_master_key_id = local.kms_key_arn

  tags = var.tags

  depends_on = [aws_kms_key_policy.this]
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

# A stopped or lagging consumer: SQS deletes a message once it is retention_seconds old, so each
# queue must alarm well before that (a validation keeps each threshold below the retention).
resource "aws_cloudwatch_metric_alarm" "queue_age" {
  for_each = module.queues

  alarm_name        = "${each.value.queue_name}-oldest-message-age"
  alarm_description = "A message of the ${each.key} queue waits longer than ${var.queue_age_alarm_threshold_seconds[each.key]} s: its consumer stopped or lags. SQS deletes messages after ${var.queues[each.key].retention_seconds} s."

  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = each.value.queue_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.queue_age_alarm_threshold_seconds[each.key]
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions

  tags = var.tags
}

# The staging table: throttled requests slow ingest and aggregation down (the adapters retry,
# then fail the message), and system errors are DynamoDB failing. Each alarm sums its metrics
# (SystemErrors exists only per operation: one per operation the functions call).
resource "aws_cloudwatch_metric_alarm" "table" {
  for_each = {
    throttles = {
      description        = "Requests to the staging table were throttled in two 5-minute periods in a row: ingest and aggregation slow down and may fail into the DLQs."
      evaluation_periods = 2
      metrics = [
        for m in ["ReadThrottleEvents", "WriteThrottleEvents"] : { name = m, dimensions = { TableName = module.staging_table.table_name } }
      ]
    }
    system-errors = {
      description        = "DynamoDB answered requests to the staging table with server errors (HTTP 500)."
      evaluation_periods = 1
      metrics = [
        for op in local.table_operations : { name = "SystemErrors", dimensions = { TableName = module.staging_table.table_name, Operation = op } }
      ]
    }
  }

  alarm_name        = "${module.staging_table.table_name}-${each.key}"
  alarm_description = each.value.description

  metric_query {
    id          = "total"
    expression  = "SUM(METRICS())"
    label       = "${each.key} of ${module.staging_table.table_name}"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = each.value.metrics
    content {
      id = "m${metric_query.key}"
      metric {
        namespace   = "AWS/DynamoDB"
        metric_name = metric_query.value.name
        dimensions  = metric_query.value.dimensions
        stat        = "Sum"
        period      = 300
      }
    }
  }

  evaluation_periods  = each.value.evaluation_periods
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions

  tags = var.tags
}

# An invocation close to its timeout: the next, slightly larger batch or file would be killed
# mid-work and retried until the DLQ.
resource "aws_cloudwatch_metric_alarm" "duration" {
  for_each = var.functions

  alarm_name        = "${module.functions[each.key].function_name}-duration"
  alarm_description = "An invocation of the ${each.key} function ran longer than ${var.duration_alarm_threshold_percent}% of its ${each.value.timeout_seconds} s timeout."

  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = { FunctionName = module.functions[each.key].function_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.timeout_seconds * 10 * var.duration_alarm_threshold_percent
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
          metrics = [for q in module.queues : ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", q.queue_name]]
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
