mock_provider "aws" {
  mock_resource "aws_s3_bucket" {
    defaults = {
      id     = "tally-test-input-20250101000000000000000001"
      bucket = "tally-test-input-20250101000000000000000001"
      arn    = "arn:aws:s3:::tally-test-input-20250101000000000000000001"
    }
  }

  mock_resource "aws_dynamodb_table" {
    defaults = {
      arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/tally-test-staging"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/tally-test-function"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/tally-test-function"
    }
  }

  mock_resource "aws_lambda_function" {
    defaults = {
      arn     = "arn:aws:lambda:eu-west-1:123456789012:function:tally-test-function"
      version = "7"
    }
  }

  mock_resource "aws_lambda_alias" {
    defaults = {
      arn = "arn:aws:lambda:eu-west-1:123456789012:function:tally-test-function:live"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:123456789012:key/0b6e1c4a-1111-4c1e-9d7a-2f0e2e7c1a11"
      key_id = "0b6e1c4a-1111-4c1e-9d7a-2f0e2e7c1a11"
    }
  }

  mock_resource "aws_lambda_event_source_mapping" {
    defaults = {
      function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:tally-test-function"
    }
  }

  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:eu-west-1:123456789012:tally-test-alarms"
    }
  }
}

# Each queue gets its own identifiers, so the assertions can tell them apart.
override_resource {
  target = module.queues["ingest"].aws_sqs_queue.this
  values = {
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-ingest"
    arn = "arn:aws:sqs:eu-west-1:123456789012:tally-test-ingest"
  }
}

override_resource {
  target = module.queues["aggregation"].aws_sqs_queue.this
  values = {
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-aggregation"
    arn = "arn:aws:sqs:eu-west-1:123456789012:tally-test-aggregation"
  }
}

override_resource {
  target = module.queues["output"].aws_sqs_queue.this
  values = {
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-output"
    arn = "arn:aws:sqs:eu-west-1:123456789012:tally-test-output"
  }
}

override_resource {
  target = module.queues["ingest"].aws_sqs_queue.dlq
  values = {
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-ingest-dlq"
    arn = "arn:aws:sqs:eu-west-1:123456789012:tally-test-ingest-dlq"
  }
}

override_resource {
  target = module.queues["aggregation"].aws_sqs_queue.dlq
  values = {
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-aggregation-dlq"
    arn = "arn:aws:sqs:eu-west-1:123456789012:tally-test-aggregation-dlq"
  }
}

override_resource {
  target = module.queues["output"].aws_sqs_queue.dlq
  values = {
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-output-dlq"
    arn = "arn:aws:sqs:eu-west-1:123456789012:tally-test-output-dlq"
  }
}

# The same settings as pipeline.json, in the module's variable shapes.
variables {
  name         = "tally-test"
  input_prefix = "incoming/"
  queues = {
    ingest      = { suffix = "ingest", visibility_timeout_seconds = 1800, retention_seconds = 345600, max_receive_count = 5 }
    aggregation = { suffix = "aggregation", visibility_timeout_seconds = 1800, retention_seconds = 345600, max_receive_count = 5 }
    output      = { suffix = "output", visibility_timeout_seconds = 30, retention_seconds = 604800, max_receive_count = 10 }
  }
  table = { suffix = "staging", partition_key = "pk", sort_key = "sk", ttl_attribute = "expires_at", ttl_days = 7 }
  functions = {
    ingest     = { suffix = "ingest", source_queue = "ingest", timeout_seconds = 300, memory_mb = 1024, batch_size = 1, maximum_concurrency = 10 }
    aggregator = { suffix = "aggregator", source_queue = "aggregation", timeout_seconds = 300, memory_mb = 2048, batch_size = 1, maximum_concurrency = 5 }
  }
  function_packages = {
    ingest     = "tests/fixtures/function.zip"
    aggregator = "tests/fixtures/function.zip"
  }
  limits = { max_object_bytes = 53687091200, max_line_bytes = 1048576, segment_bytes = 67108864, max_row_errors = 1000, rows_per_partition = 4000000 }
  environment_variable_names = {
    ingest = [
      "TALLY_TABLE_NAME", "TALLY_OUTPUT_QUEUE_URL", "TALLY_AGGREGATION_QUEUE_URL", "TALLY_INGEST_QUEUE_URL",
      "TALLY_INPUT_PREFIX", "TALLY_STAGING_TTL_DAYS", "TALLY_MAX_OBJECT_BYTES", "TALLY_MAX_LINE_BYTES",
      "TALLY_SEGMENT_BYTES", "TALLY_MAX_ROW_ERRORS", "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE",
    ]
    aggregator = [
      "TALLY_TABLE_NAME", "TALLY_OUTPUT_QUEUE_URL", "TALLY_STAGING_TTL_DAYS", "TALLY_ROWS_PER_PARTITION",
      "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE",
    ]
  }

  # What each role must allow, by function, as "<action> on <resource role>" lines: the calls the
  # end-to-end and reliability runs saw each function make on the local stack, plus the
  # documented grants, by the option that adds them (always, activeTracing, kmsKey). Written by
  # `npm run iam:observe`; infra/README.md ("Least privilege") explains.
  iam_roles = jsondecode(file("../../iam/observed-operations.json")).roles

  # The mocked ARNs above by the names the request meters give those resources.
  resource_roles = {
    "arn:aws:s3:::tally-test-input-20250101000000000000000001"                        = "bucket:input"
    "arn:aws:s3:::tally-test-input-20250101000000000000000001/incoming/*"             = "bucket:input/incoming/*"
    "arn:aws:dynamodb:eu-west-1:123456789012:table/tally-test-staging"                = "table:staging"
    "arn:aws:sqs:eu-west-1:123456789012:tally-test-ingest"                            = "queue:ingest"
    "arn:aws:sqs:eu-west-1:123456789012:tally-test-aggregation"                       = "queue:aggregation"
    "arn:aws:sqs:eu-west-1:123456789012:tally-test-output"                            = "queue:output"
    "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/tally-test-function:*" = "log-group:own"
    "arn:aws:kms:eu-west-1:123456789012:key/0b6e1c4a-1111-4c1e-9d7a-2f0e2e7c1a11"     = "key:pipeline"
    "*"                                                                               = "*"
  }
}

run "protects_the_input_bucket_and_denies_requests_without_tls" {
  command = apply

  assert {
    condition     = aws_s3_bucket.this.bucket_prefix == "tally-test-input-"
    error_message = "The bucket name must start with <name>-input-."
  }

  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.this.block_public_acls,
      aws_s3_bucket_public_access_block.this.block_public_policy,
      aws_s3_bucket_public_access_block.this.ignore_public_acls,
      aws_s3_bucket_public_access_block.this.restrict_public_buckets,
    ])
    error_message = "Every public access block setting must be on."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "The bucket must encrypt objects with SSE-S3."
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "The bucket must be versioned."
  }

  assert {
    condition     = length(aws_s3_bucket_lifecycle_configuration.this) == 0
    error_message = "Input must not expire unless input_expiration_days is set."
  }

  assert {
    condition = jsondecode(aws_s3_bucket_policy.this.policy).Statement == [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource = [
        "arn:aws:s3:::tally-test-input-20250101000000000000000001",
        "arn:aws:s3:::tally-test-input-20250101000000000000000001/*",
      ]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
    error_message = "The bucket policy must deny every request made without TLS, on the bucket and its objects."
  }
}

run "sends_csv_uploads_and_batch_manifests_to_the_ingest_queue_which_accepts_only_this_bucket" {
  command = apply

  assert {
    condition     = length(aws_s3_bucket_notification.this.queue) == 2
    error_message = "The bucket must notify the ingest queue of two kinds of key: .csv files and batch manifests."
  }

  assert {
    condition     = aws_s3_bucket_notification.this.queue[1].filter_prefix == "incoming/" && aws_s3_bucket_notification.this.queue[1].filter_suffix == "/_manifest.json" && aws_s3_bucket_notification.this.queue[1].queue_arn == aws_s3_bucket_notification.this.queue[0].queue_arn
    error_message = "Batch manifests (incoming/<batch>/_manifest.json) must be notified to the ingest queue too."
  }

  assert {
    condition     = aws_s3_bucket_notification.this.queue[0].events == toset(["s3:ObjectCreated:*"])
    error_message = "Every object creation must be notified."
  }

  assert {
    condition     = aws_s3_bucket_notification.this.queue[0].filter_prefix == "incoming/" && aws_s3_bucket_notification.this.queue[0].filter_suffix == ".csv"
    error_message = "Only .csv objects under incoming/ must be notified."
  }

  assert {
    condition     = aws_s3_bucket_notification.this.queue[0].queue_arn == "arn:aws:sqs:eu-west-1:123456789012:tally-test-ingest"
    error_message = "Notifications must go to the ingest queue."
  }

  assert {
    condition     = aws_sqs_queue_policy.ingest.queue_url == "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-ingest"
    error_message = "The policy must be on the ingest queue."
  }

  assert {
    condition = jsondecode(aws_sqs_queue_policy.ingest.policy).Statement == [{
      Sid       = "AllowInputBucketNotifications"
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = "arn:aws:sqs:eu-west-1:123456789012:tally-test-ingest"
      Condition = {
        ArnEquals    = { "aws:SourceArn" = "arn:aws:s3:::tally-test-input-20250101000000000000000001" }
        StringEquals = { "aws:SourceAccount" = "123456789012" }
      }
    }]
    error_message = "Only S3, for this bucket in this account, may send to the ingest queue."
  }
}

run "names_resources_and_gives_each_function_exactly_its_environment" {
  command = apply

  assert {
    condition     = output.table_name == "tally-test-staging"
    error_message = "The table must be named <name>-staging."
  }

  assert {
    condition     = output.function_names == { ingest = "tally-test-ingest", aggregator = "tally-test-aggregator" }
    error_message = "Functions must be named <name>-ingest and <name>-aggregator."
  }

  assert {
    condition = output.dlq_urls == {
      ingest      = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-ingest-dlq"
      aggregation = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-aggregation-dlq"
      output      = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-output-dlq"
    }
    error_message = "Every queue must have a DLQ."
  }

  assert {
    condition     = output.output_queue_url == "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-output"
    error_message = "output_queue_url must be the output queue's URL."
  }

  assert {
    condition     = toset(keys(output.function_environment_variables.ingest)) == toset(concat(var.environment_variable_names.ingest, ["POWERTOOLS_TRACE_ENABLED"]))
    error_message = "The ingest function must get exactly the variables named for it, plus POWERTOOLS_TRACE_ENABLED."
  }

  assert {
    condition     = toset(keys(output.function_environment_variables.aggregator)) == toset(concat(var.environment_variable_names.aggregator, ["POWERTOOLS_TRACE_ENABLED"]))
    error_message = "The aggregator function must get exactly the variables named for it, plus POWERTOOLS_TRACE_ENABLED."
  }

  assert {
    condition = output.function_environment_variables.ingest == {
      TALLY_TABLE_NAME             = "tally-test-staging"
      TALLY_OUTPUT_QUEUE_URL       = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-output"
      TALLY_AGGREGATION_QUEUE_URL  = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-aggregation"
      TALLY_INGEST_QUEUE_URL       = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-ingest"
      TALLY_INPUT_PREFIX           = "incoming/"
      TALLY_STAGING_TTL_DAYS       = "7"
      TALLY_MAX_OBJECT_BYTES       = "53687091200"
      TALLY_MAX_LINE_BYTES         = "1048576"
      TALLY_SEGMENT_BYTES          = "67108864"
      TALLY_MAX_ROW_ERRORS         = "1000"
      POWERTOOLS_SERVICE_NAME      = "ingest"
      POWERTOOLS_METRICS_NAMESPACE = "Tally"
      POWERTOOLS_TRACE_ENABLED     = "false"
    }
    error_message = "The ingest function's variables must hold the resource names and settings, and tracing off by default."
  }

  assert {
    condition     = output.function_environment_variables.aggregator.POWERTOOLS_SERVICE_NAME == "aggregator"
    error_message = "POWERTOOLS_SERVICE_NAME must be the function's suffix."
  }

  assert {
    condition     = output.function_environment_variables.aggregator.TALLY_ROWS_PER_PARTITION == "4000000"
    error_message = "The aggregator must get the rows per partition of limits."
  }
}

run "grants_least_privilege" {
  command = apply

  assert {
    condition = alltrue(flatten([
      for doc in values(output.function_role_policies) : [
        for s in jsondecode(doc).Statement : [for a in s.Action : !strcontains(a, "*")]
      ]
    ]))
    error_message = "No function policy may have a wildcard action."
  }

  assert {
    condition = alltrue(flatten([
      for doc in values(output.function_role_policies) : [
        for s in jsondecode(doc).Statement : [for r in s.Resource : r != "*"]
      ]
    ]))
    error_message = "Without tracing no function policy statement may apply to every resource."
  }

  assert {
    condition = toset(keys(output.function_role_actions)) == toset(keys(var.iam_roles)) && alltrue([
      for fn, grants in var.iam_roles : toset(output.function_role_actions[fn]) == toset([for g in grants.always : split(" on ", g)[0]])
    ])
    error_message = "Each role must allow exactly the actions infra/iam/observed-operations.json gives it (the code's calls and the documented grants): ${jsonencode({
      for fn, grants in var.iam_roles : fn => {
        missing = sort(setsubtract([for g in grants.always : split(" on ", g)[0]], lookup(output.function_role_actions, fn, [])))
        unused  = sort(setsubtract(lookup(output.function_role_actions, fn, []), [for g in grants.always : split(" on ", g)[0]]))
      }
    })}. After a change of the functions' AWS calls, run `npm run iam:observe` and commit the file; then make local.role_statements in main.tf allow exactly that."
  }

  assert {
    condition = alltrue([
      for fn, grants in var.iam_roles : toset(grants.always) == toset(flatten([
        for s in jsondecode(output.function_role_policies[fn]).Statement : [for a in s.Action : [for r in s.Resource : "${a} on ${lookup(var.resource_roles, r, r)}"]]
      ]))
    ])
    error_message = "Each role must allow each action on exactly the resources infra/iam/observed-operations.json names: ${jsonencode({
      for fn, grants in var.iam_roles : fn => {
        missing = sort(setsubtract(grants.always, flatten([
          for s in jsondecode(output.function_role_policies[fn]).Statement : [for a in s.Action : [for r in s.Resource : "${a} on ${lookup(var.resource_roles, r, r)}"]]
        ])))
        unused = sort(setsubtract(flatten([
          for s in jsondecode(output.function_role_policies[fn]).Statement : [for a in s.Action : [for r in s.Resource : "${a} on ${lookup(var.resource_roles, r, r)}"]]
        ]), grants.always))
      }
    })}. After a change of the functions' AWS calls, run `npm run iam:observe` and commit the file; then make local.role_statements in main.tf allow exactly that."
  }
}

run "grants_traces_and_key_use_only_with_their_options" {
  command = apply

  variables {
    tracing_mode    = "Active"
    kms_key_enabled = true
  }

  assert {
    condition = alltrue([
      for fn, grants in var.iam_roles : toset(concat(grants.always, grants.activeTracing, grants.kmsKey)) == toset(flatten([
        for s in jsondecode(output.function_role_policies[fn]).Statement : [for a in s.Action : [for r in s.Resource : "${a} on ${lookup(var.resource_roles, r, r)}"]]
      ]))
    ])
    error_message = "With active tracing and the customer managed key, each role must allow exactly what infra/iam/observed-operations.json gives it always, with activeTracing and with kmsKey: ${jsonencode({
      for fn, grants in var.iam_roles : fn => {
        missing = sort(setsubtract(concat(grants.always, grants.activeTracing, grants.kmsKey), flatten([
          for s in jsondecode(output.function_role_policies[fn]).Statement : [for a in s.Action : [for r in s.Resource : "${a} on ${lookup(var.resource_roles, r, r)}"]]
        ])))
        unused = sort(setsubtract(flatten([
          for s in jsondecode(output.function_role_policies[fn]).Statement : [for a in s.Action : [for r in s.Resource : "${a} on ${lookup(var.resource_roles, r, r)}"]]
        ]), concat(grants.always, grants.activeTracing, grants.kmsKey)))
      }
    })}. The documented grants are in tools/infra/documentedGrants.ts: after changing them, run `npm run iam:observe`."
  }
}

run "alarms_on_dead_letters_errors_throttles_and_queue_age" {
  command = apply

  assert {
    condition = {
      for k, a in aws_cloudwatch_metric_alarm.dlq_not_empty : k => [a.metric_name, a.dimensions.QueueName, a.comparison_operator, a.threshold]
      } == {
      ingest      = ["ApproximateNumberOfMessagesVisible", "tally-test-ingest-dlq", "GreaterThanThreshold", 0]
      aggregation = ["ApproximateNumberOfMessagesVisible", "tally-test-aggregation-dlq", "GreaterThanThreshold", 0]
      output      = ["ApproximateNumberOfMessagesVisible", "tally-test-output-dlq", "GreaterThanThreshold", 0]
    }
    error_message = "Every DLQ must alarm as soon as it holds a message."
  }

  assert {
    condition = {
      for k, a in aws_cloudwatch_metric_alarm.function : k => [a.namespace, a.metric_name, a.dimensions.FunctionName]
      } == {
      ingest-errors        = ["AWS/Lambda", "Errors", "tally-test-ingest"]
      ingest-throttles     = ["AWS/Lambda", "Throttles", "tally-test-ingest"]
      aggregator-errors    = ["AWS/Lambda", "Errors", "tally-test-aggregator"]
      aggregator-throttles = ["AWS/Lambda", "Throttles", "tally-test-aggregator"]
    }
    error_message = "Each function must alarm on errors and throttles."
  }

  assert {
    condition = {
      for k, a in aws_cloudwatch_metric_alarm.queue_age : k => [a.alarm_name, a.metric_name, a.statistic, a.dimensions.QueueName, a.threshold]
      } == {
      ingest      = ["tally-test-ingest-oldest-message-age", "ApproximateAgeOfOldestMessage", "Maximum", "tally-test-ingest", 900]
      aggregation = ["tally-test-aggregation-oldest-message-age", "ApproximateAgeOfOldestMessage", "Maximum", "tally-test-aggregation", 3600]
      output      = ["tally-test-output-oldest-message-age", "ApproximateAgeOfOldestMessage", "Maximum", "tally-test-output", 86400]
    }
    error_message = "Every queue must alarm on the age of its oldest message, well before SQS deletes it: a stopped consumer must page."
  }

  assert {
    # jsonencode on both sides: the alarm's dimensions are a map, the expected ones objects.
    condition = jsonencode({
      for k, a in aws_cloudwatch_metric_alarm.table : k => {
        name    = a.alarm_name
        periods = a.evaluation_periods
        sum     = [for q in a.metric_query : q.expression if q.return_data == true]
        metrics = [for q in a.metric_query : [q.metric[0].metric_name, q.metric[0].dimensions, q.metric[0].stat, q.metric[0].period] if length(q.metric) > 0]
      }
      }) == jsonencode({
      throttles = {
        name    = "tally-test-staging-throttles"
        periods = 2
        sum     = ["SUM(METRICS())"]
        metrics = [
          ["ReadThrottleEvents", { TableName = "tally-test-staging" }, "Sum", 300],
          ["WriteThrottleEvents", { TableName = "tally-test-staging" }, "Sum", 300],
        ]
      }
      system-errors = {
        name    = "tally-test-staging-system-errors"
        periods = 1
        sum     = ["SUM(METRICS())"]
        metrics = [
          for op in ["BatchWriteItem", "GetItem", "Query", "UpdateItem"] : ["SystemErrors", { Operation = op, TableName = "tally-test-staging" }, "Sum", 300]
        ]
      }
    })
    error_message = "The table must alarm on read and write throttling, and on system errors of every operation the functions call."
  }

  assert {
    condition = {
      for k, a in aws_cloudwatch_metric_alarm.duration : k => [a.alarm_name, a.metric_name, a.statistic, a.dimensions.FunctionName, a.threshold]
      } == {
      ingest     = ["tally-test-ingest-duration", "Duration", "Maximum", "tally-test-ingest", 240000]
      aggregator = ["tally-test-aggregator-duration", "Duration", "Maximum", "tally-test-aggregator", 240000]
    }
    error_message = "Each function must alarm when an invocation runs longer than 80% of its timeout (in ms)."
  }

  assert {
    condition     = length(aws_sns_topic.alarms) == 0 && alltrue([for actions in values(output.alarms) : length(actions) == 0]) && length(output.alarms) == 14
    error_message = "No topic or alarm action without create_alarm_topic; 14 alarms."
  }

  assert {
    condition     = length([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w if w.type == "metric"]) == 6 && alltrue([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.region == "eu-west-1" if w.type == "metric"])
    error_message = "The dashboard must have its six metric widgets in the queues' region."
  }
}

run "saves_logs_insights_queries_over_both_functions_logs" {
  command = apply

  assert {
    condition = { for k, q in aws_cloudwatch_query_definition.saved : k => q.name } == {
      batch_timeline = "Tally/tally-test/timeline of one batch"
      errors         = "Tally/tally-test/errors of the last hour"
    }
    error_message = "The saved queries must be named Tally/<name>/<what they show>, so the console shows them in one folder."
  }

  assert {
    condition = alltrue([
      for q in values(aws_cloudwatch_query_definition.saved) : toset(q.log_group_names) == toset(["/aws/lambda/tally-test-ingest", "/aws/lambda/tally-test-aggregator"])
    ])
    error_message = "Each saved query must cover both functions' log groups."
  }

  assert {
    condition = alltrue([
      for fragment in ["batch_id", "object_key", "outcome.status", "| filter batch_id = \"<replace-me>\"", "| sort @timestamp asc"] :
      strcontains(aws_cloudwatch_query_definition.saved["batch_timeline"].query_string, fragment)
    ])
    error_message = "The timeline query must show one batch's log lines with their batch, object and outcome, oldest first."
  }

  assert {
    condition = alltrue([
      for fragment in ["level in [\"ERROR\", \"CRITICAL\"]", "outcome.status like /rejected/", "Task timed out", "| sort @timestamp desc"] :
      strcontains(aws_cloudwatch_query_definition.saved["errors"].query_string, fragment)
    ])
    error_message = "The errors query must find error lines, rejected files and keys, and timeouts, newest first."
  }

  assert {
    condition     = { for k, q in output.saved_queries : k => q.name } == { for k, q in aws_cloudwatch_query_definition.saved : k => q.name } && alltrue([for k, q in output.saved_queries : q.id == aws_cloudwatch_query_definition.saved[k].query_definition_id])
    error_message = "saved_queries must give each query's id and name."
  }

  assert {
    condition     = output.logs_insights_url == "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:logs-insights"
    error_message = "logs_insights_url must open Logs Insights in the pipeline's region."
  }
}

run "links_the_saved_queries_and_graphs_the_custom_metrics_on_the_dashboard" {
  command = apply

  assert {
    condition = strcontains(
      one([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.markdown if w.type == "text"]),
      "[Logs Insights](https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:logs-insights)",
    )
    error_message = "The dashboard's text widget must link Logs Insights."
  }

  assert {
    condition = alltrue([
      for name in ["Tally/tally-test/timeline of one batch", "Tally/tally-test/errors of the last hour", "annotation.batch_id"] :
      strcontains(one([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.markdown if w.type == "text"]), name)
    ])
    error_message = "The text widget must name both saved queries and the batch_id trace annotation."
  }

  assert {
    condition = [
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.metrics if try(w.properties.metrics[0][0], "") == "Tally"
      ] == [
      [
        ["Tally", "RowsAccepted", "service", "ingest"],
        ["Tally", "RowsRejected", "service", "ingest"],
        ["Tally", "FilesRejected", "service", "ingest"],
        ["Tally", "RevisionsRequested", "service", "ingest"],
        ["Tally", "IngestContinuations", "service", "ingest"],
      ],
      [
        ["Tally", "BatchesAggregated", "service", "aggregator"],
        ["Tally", "CustomerMessages", "service", "aggregator"],
        ["Tally", "ErrorMessages", "service", "aggregator"],
        ["Tally", "AggregationContinuations", "service", "aggregator"],
        ["Tally", "RevisionsExpired", "service", "aggregator"],
        ["Tally", "PartitionedAggregations", "service", "aggregator"],
        ["Tally", "AggregationTasks", "service", "aggregator"],
      ],
    ]
    error_message = "The dashboard must graph every Powertools metric the handlers emit, one widget per service, with the service dimension Powertools adds."
  }

  assert {
    condition = alltrue(flatten([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [for m in w.properties.metrics : length(m) == 4] if w.type == "metric"
    ]))
    error_message = "Every metric of every widget must be its own [namespace, name, dimension, value] list."
  }
}

run "traces_and_enables_the_powertools_tracer_when_tracing_is_active" {
  command = apply

  variables {
    tracing_mode = "Active"
  }

  assert {
    condition     = alltrue([for env in values(output.function_environment_variables) : env.POWERTOOLS_TRACE_ENABLED == "true"])
    error_message = "Active tracing must switch the Powertools Tracer on in both functions."
  }

  assert {
    condition = alltrue([
      for doc in values(output.function_role_policies) : [
        for s in jsondecode(doc).Statement : s.Resource if s.Sid == "WriteTraces"
      ] == [["*"]]
    ])
    error_message = "With active tracing each function may write traces (xray actions accept only \"*\")."
  }

  assert {
    condition = alltrue(flatten([
      for doc in values(output.function_role_policies) : [
        for s in jsondecode(doc).Statement : [for r in s.Resource : r != "*"] if s.Sid != "WriteTraces"
      ]
    ]))
    error_message = "Only the X-Ray statement may apply to every resource."
  }
}

run "notifies_the_alarm_topic_when_asked" {
  command = apply

  variables {
    create_alarm_topic                = true
    alarm_email                       = "oncall@example.com"
    queue_age_alarm_threshold_seconds = { ingest = 600 }
  }

  assert {
    condition     = length(output.alarms) == 14 && alltrue([for actions in values(output.alarms) : actions == tolist(["arn:aws:sns:eu-west-1:123456789012:tally-test-alarms"])])
    error_message = "Every alarm must notify the topic."
  }

  assert {
    condition     = output.alarm_subscriptions == [{ protocol = "email", endpoint = "oncall@example.com" }]
    error_message = "alarm_email must be subscribed to the topic."
  }

  assert {
    condition     = { for k, a in aws_cloudwatch_metric_alarm.queue_age : k => a.threshold } == { ingest = 600, aggregation = 3600, output = 86400 }
    error_message = "A threshold given for one queue must replace only that queue's default."
  }

  assert {
    condition     = aws_sns_topic.alarms[0].kms_master_key_id == null
    error_message = "Without kms_key_enabled the topic must stay unencrypted (CloudWatch cannot use aws/sns)."
  }
}

run "encrypts_queues_table_logs_and_topic_with_a_customer_managed_key_when_asked" {
  command = apply

  variables {
    kms_key_enabled    = true
    create_alarm_topic = true
  }

  assert {
    condition     = aws_kms_key.this[0].enable_key_rotation && output.kms_key_arn == "arn:aws:kms:eu-west-1:123456789012:key/0b6e1c4a-1111-4c1e-9d7a-2f0e2e7c1a11"
    error_message = "The key must rotate, and kms_key_arn must name it."
  }

  assert {
    condition = alltrue(concat(
      [output.table.kms_key_arn == output.kms_key_arn, aws_sns_topic.alarms[0].kms_master_key_id == output.kms_key_arn],
      [for f in values(output.function_configurations) : f.log_kms_key_arn == output.kms_key_arn],
    ))
    error_message = "The table, the function log groups and the alarm topic must use the key."
  }

  assert {
    condition = {
      for s in jsondecode(aws_kms_key_policy.this[0].policy).Statement : s.Sid => [s.Principal, s.Action, lookup(s, "Condition", null)]
      } == {
      AdministerKeyAndAllowIamPolicies = [{ AWS = "arn:aws:iam::123456789012:root" }, "kms:*", null]
      AllowInputBucketNotificationsToEncryptedQueue = [
        { Service = "s3.amazonaws.com" }, ["kms:GenerateDataKey", "kms:Decrypt"],
        { ArnEquals = { "aws:SourceArn" = "arn:aws:s3:::tally-test-input-20250101000000000000000001" }, StringEquals = { "aws:SourceAccount" = "123456789012" } },
      ]
      AllowAlarmsToPublishToEncryptedTopic = [
        { Service = "cloudwatch.amazonaws.com" }, ["kms:GenerateDataKey", "kms:Decrypt"],
        { StringEquals = { "aws:SourceAccount" = "123456789012" } },
      ]
      AllowLogsToEncryptFunctionLogGroups = [
        { Service = "logs.eu-west-1.amazonaws.com" },
        ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
        { ArnLike = { "kms:EncryptionContext:aws:logs:arn" = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/tally-test-*" } },
      ]
    }
    error_message = "The key policy must let the account administer the key, and S3 (this bucket), CloudWatch alarms (this account) and CloudWatch Logs (these log groups) use it."
  }

  assert {
    condition = alltrue([
      for doc in values(output.function_role_policies) : [
        for s in jsondecode(doc).Statement : [s.Action, s.Resource, s.Condition] if s.Sid == "UseKeyThroughSqsAndDynamoDb"
        ] == [[
          ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
          ["arn:aws:kms:eu-west-1:123456789012:key/0b6e1c4a-1111-4c1e-9d7a-2f0e2e7c1a11"],
          { StringEquals = { "kms:ViaService" = ["sqs.eu-west-1.amazonaws.com", "dynamodb.eu-west-1.amazonaws.com"] } },
      ]]
    ])
    error_message = "Each function may use the key only through SQS and DynamoDB."
  }
}

run "writes_server_access_logs_of_the_input_bucket_when_asked" {
  command = apply

  variables {
    access_logs_enabled        = true
    access_log_expiration_days = 30
  }

  override_resource {
    target = aws_s3_bucket.access_logs
    values = {
      id  = "tally-test-access-logs-20250101000000000000000002"
      arn = "arn:aws:s3:::tally-test-access-logs-20250101000000000000000002"
    }
  }

  assert {
    condition     = aws_s3_bucket_logging.this[0].bucket == "tally-test-input-20250101000000000000000001" && aws_s3_bucket_logging.this[0].target_bucket == "tally-test-access-logs-20250101000000000000000002" && output.access_log_bucket_name == "tally-test-access-logs-20250101000000000000000002"
    error_message = "The input bucket must log to the access log bucket."
  }

  assert {
    condition = jsondecode(aws_s3_bucket_policy.access_logs[0].policy).Statement[0] == {
      Sid       = "AllowInputBucketAccessLogs"
      Effect    = "Allow"
      Principal = { Service = "logging.s3.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "arn:aws:s3:::tally-test-access-logs-20250101000000000000000002/*"
      Condition = {
        ArnLike      = { "aws:SourceArn" = "arn:aws:s3:::tally-test-input-20250101000000000000000001" }
        StringEquals = { "aws:SourceAccount" = "123456789012" }
      }
    }
    error_message = "Only S3 logging, for the input bucket of this account, may write to the log bucket."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.access_logs[0].rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256" && aws_s3_bucket_public_access_block.access_logs[0].restrict_public_buckets && aws_s3_bucket_ownership_controls.access_logs[0].rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "The log bucket must be private, owner-enforced and encrypted with SSE-S3 (the only encryption S3 delivers logs to)."
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.access_logs[0].rule[0].expiration[0].days == 30
    error_message = "Access logs must expire after access_log_expiration_days."
  }
}

run "passes_runtime_versions_reserved_concurrency_and_json_logs_to_the_functions" {
  command = apply

  variables {
    runtime                   = "nodejs20.x"
    reserved_concurrency      = { aggregator = 10 }
    publish_function_versions = true
    live_function_versions    = { aggregator = "3" }
    log_format                = "JSON"
    application_log_level     = "INFO"
    system_log_level          = "WARN"
  }

  assert {
    condition = {
      for k, f in output.function_configurations : k => [f.runtime, f.reserved_concurrent_executions, f.live_version, f.log_format, f.application_log_level, f.system_log_level]
      } == {
      ingest     = ["nodejs20.x", -1, "7", "JSON", "INFO", "WARN"]
      aggregator = ["nodejs20.x", 10, "3", "JSON", "INFO", "WARN"]
    }
    error_message = "runtime, reserved_concurrency, live_function_versions and the log settings must reach each function."
  }
}

run "expires_input_when_asked" {
  command = apply

  variables {
    input_expiration_days = 30
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.this[0].rule[0].filter[0].prefix == "incoming/"
    error_message = "Only objects under the input prefix may expire."
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.this[0].rule[0].expiration[0].days == 30 && aws_s3_bucket_lifecycle_configuration.this[0].rule[0].noncurrent_version_expiration[0].noncurrent_days == 30
    error_message = "Current and noncurrent versions must expire after input_expiration_days."
  }
}

run "rejects_a_dlq_that_keeps_messages_no_longer_than_a_queue" {
  command = plan

  variables {
    queues = {
      ingest      = { suffix = "ingest", visibility_timeout_seconds = 1800, retention_seconds = 345600, max_receive_count = 5 }
      aggregation = { suffix = "aggregation", visibility_timeout_seconds = 1800, retention_seconds = 345600, max_receive_count = 5 }
      output      = { suffix = "output", visibility_timeout_seconds = 30, retention_seconds = 1209600, max_receive_count = 10 }
    }
  }

  expect_failures = [var.dlq_retention_seconds]
}

run "rejects_a_queue_age_alarm_that_would_fire_after_the_message_expired" {
  command = plan

  variables {
    queue_age_alarm_threshold_seconds = { output = 604800 }
  }

  expect_failures = [var.queue_age_alarm_threshold_seconds]
}

run "rejects_unknown_environment_variable" {
  command = plan

  variables {
    environment_variable_names = { ingest = ["TALLY_UNKNOWN"], aggregator = [] }
  }

  expect_failures = [var.environment_variable_names]
}

run "rejects_source_queue_visibility_below_six_times_the_timeout" {
  command = plan

  variables {
    functions = {
      ingest     = { suffix = "ingest", source_queue = "ingest", timeout_seconds = 301, memory_mb = 1024, batch_size = 1, maximum_concurrency = 10 }
      aggregator = { suffix = "aggregator", source_queue = "aggregation", timeout_seconds = 300, memory_mb = 2048, batch_size = 1, maximum_concurrency = 5 }
    }
  }

  expect_failures = [var.functions]
}

run "rejects_prefix_without_trailing_slash" {
  command = plan

  variables {
    input_prefix = "incoming"
  }

  expect_failures = [var.input_prefix]
}

run "rejects_expiration_of_zero_days" {
  command = plan

  variables {
    input_expiration_days = 0
  }

  expect_failures = [var.input_expiration_days]
}

run "rejects_alarm_email_without_topic" {
  command = plan

  variables {
    alarm_email = "oncall@example.com"
  }

  expect_failures = [var.alarm_email]
}

run "rejects_uppercase_name" {
  command = plan

  variables {
    name = "Tally-Test"
  }

  expect_failures = [var.name]
}

run "rejects_limits_the_ingest_function_would_refuse" {
  command = plan

  variables {
    limits = { max_object_bytes = 1073741824, max_line_bytes = 512, segment_bytes = 67108864, max_row_errors = 0, rows_per_partition = 4000000 }
  }

  expect_failures = [var.limits]
}

run "rejects_partitions_of_no_rows" {
  command = plan

  variables {
    limits = { max_object_bytes = 53687091200, max_line_bytes = 1048576, segment_bytes = 67108864, max_row_errors = 1000, rows_per_partition = 0 }
  }

  expect_failures = [var.limits]
}

run "rejects_a_segment_a_record_may_not_fit_in" {
  command = plan

  variables {
    limits = { max_object_bytes = 53687091200, max_line_bytes = 1048576, segment_bytes = 2097151, max_row_errors = 1000, rows_per_partition = 4000000 }
  }

  expect_failures = [var.limits]
}
