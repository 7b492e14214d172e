mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/tally-test-ingest"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/tally-test-ingest"
    }
  }

  mock_resource "aws_lambda_function" {
    defaults = {
      arn     = "arn:aws:lambda:eu-west-1:123456789012:function:tally-test-ingest"
      version = "7"
    }
  }

  mock_resource "aws_lambda_alias" {
    defaults = {
      arn = "arn:aws:lambda:eu-west-1:123456789012:function:tally-test-ingest:live"
    }
  }

  mock_resource "aws_lambda_event_source_mapping" {
    defaults = {
      function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:tally-test-ingest"
    }
  }
}

variables {
  name                                    = "tally-test-ingest"
  filename                                = "tests/fixtures/function.zip"
  timeout                                 = 300
  memory_size                             = 1024
  environment_variables                   = { TALLY_TABLE_NAME = "tally-test-staging" }
  source_queue_arn                        = "arn:aws:sqs:eu-west-1:123456789012:tally-test-ingest"
  source_queue_visibility_timeout_seconds = 1800
  batch_size                              = 1
  maximum_concurrency                     = 10
  policy_statements = [
    {
      sid       = "ReadInput"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::tally-test-input/incoming/*"]
    },
    {
      sid       = "ConsumeIngestQueue"
      actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
      resources = ["arn:aws:sqs:eu-west-1:123456789012:tally-test-ingest"]
    },
  ]
}

run "creates_arm64_node22_function_from_the_package_with_the_defaults" {
  command = apply

  assert {
    condition     = aws_lambda_function.this.runtime == "nodejs22.x" && aws_lambda_function.this.architectures == tolist(["arm64"]) && aws_lambda_function.this.handler == "index.handler"
    error_message = "The function must run index.handler on nodejs22.x, arm64."
  }

  assert {
    condition     = aws_lambda_function.this.source_code_hash == filebase64sha256("tests/fixtures/function.zip")
    error_message = "source_code_hash must follow the package's content."
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables == tomap({ TALLY_TABLE_NAME = "tally-test-staging" })
    error_message = "The environment variables must be passed through unchanged."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/aws/lambda/tally-test-ingest" && aws_cloudwatch_log_group.this.retention_in_days == 30
    error_message = "The log group must be /aws/lambda/<name> with the retention asked for."
  }

  assert {
    condition     = aws_lambda_function.this.logging_config[0].log_group == "/aws/lambda/tally-test-ingest"
    error_message = "The function must log to its log group."
  }

  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Principal.Service == "lambda.amazonaws.com"
    error_message = "Only Lambda may assume the role."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.function_name == "arn:aws:lambda:eu-west-1:123456789012:function:tally-test-ingest" && length(aws_lambda_alias.live) == 0 && !aws_lambda_function.this.publish
    error_message = "Without publish_versions the queue must invoke the function itself, with no alias."
  }

  assert {
    condition     = aws_lambda_function.this.reserved_concurrent_executions == -1
    error_message = "No concurrency may be reserved by default."
  }

  assert {
    condition     = aws_lambda_function.this.logging_config[0].log_format == "Text" && aws_cloudwatch_log_group.this.kms_key_id == null
    error_message = "Logs must be text, in a log group without a customer managed key, by default."
  }
}

run "maps_the_queue_with_partial_batch_responses" {
  command = apply

  assert {
    condition     = aws_lambda_event_source_mapping.this.function_response_types == toset(["ReportBatchItemFailures"])
    error_message = "The mapping must use ReportBatchItemFailures."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.event_source_arn == "arn:aws:sqs:eu-west-1:123456789012:tally-test-ingest"
    error_message = "The mapping must read the source queue."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.batch_size == 1 && aws_lambda_event_source_mapping.this.scaling_config[0].maximum_concurrency == 10
    error_message = "batch_size and maximum_concurrency must reach the mapping."
  }
}

run "publishes_versions_and_feeds_the_queue_to_the_live_alias" {
  command = apply

  variables {
    publish_versions = true
  }

  assert {
    condition     = aws_lambda_function.this.publish && aws_lambda_alias.live[0].name == "live" && aws_lambda_alias.live[0].function_version == "7"
    error_message = "The live alias must point at the version this deployment published."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.function_name == "arn:aws:lambda:eu-west-1:123456789012:function:tally-test-ingest:live" && output.live_alias_arn == aws_lambda_alias.live[0].arn
    error_message = "The queue must invoke the live alias."
  }
}

run "rolls_back_by_pointing_the_live_alias_at_an_earlier_version" {
  command = apply

  variables {
    publish_versions = true
    live_version     = "3"
  }

  assert {
    condition     = aws_lambda_alias.live[0].function_version == "3" && output.configuration.live_version == "3"
    error_message = "live_version must move the alias, and with it the event source, to that version."
  }
}

run "reserves_concurrency_encrypts_logs_and_logs_json_at_the_levels_asked" {
  command = apply

  variables {
    reserved_concurrent_executions = 10
    log_format                     = "JSON"
    application_log_level          = "WARN"
    system_log_level               = "WARN"
    log_kms_key_arn                = "arn:aws:kms:eu-west-1:123456789012:key/0b6e1c4a-1111-4c1e-9d7a-2f0e2e7c1a11"
    policy_statements = [{
      sid        = "UseKeyThroughSqs"
      actions    = ["kms:Decrypt"]
      resources  = ["arn:aws:kms:eu-west-1:123456789012:key/0b6e1c4a-1111-4c1e-9d7a-2f0e2e7c1a11"]
      conditions = [{ test = "StringEquals", variable = "kms:ViaService", values = ["sqs.eu-west-1.amazonaws.com"] }]
    }]
  }

  assert {
    condition     = aws_lambda_function.this.reserved_concurrent_executions == 10
    error_message = "reserved_concurrent_executions must reach the function."
  }

  assert {
    condition     = [aws_lambda_function.this.logging_config[0].log_format, aws_lambda_function.this.logging_config[0].application_log_level, aws_lambda_function.this.logging_config[0].system_log_level] == ["JSON", "WARN", "WARN"]
    error_message = "log_format and both log levels must reach the function."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.kms_key_id == "arn:aws:kms:eu-west-1:123456789012:key/0b6e1c4a-1111-4c1e-9d7a-2f0e2e7c1a11"
    error_message = "The log group must be encrypted with log_kms_key_arn."
  }

  assert {
    condition = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Condition if s.Sid == "UseKeyThroughSqs"] == [{
      StringEquals = { "kms:ViaService" = ["sqs.eu-west-1.amazonaws.com"] }
    }]
    error_message = "A statement's conditions must reach the policy, grouped by operator."
  }

  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : lookup(s, "Condition", null) if s.Sid == "WriteLogs"] == [null]
    error_message = "A statement without conditions must have no Condition."
  }
}

run "grants_no_wildcard_action_or_resource_without_tracing" {
  command = apply

  assert {
    condition = alltrue(flatten([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : [for a in s.Action : !strcontains(a, "*")]
    ]))
    error_message = "No policy action may contain a wildcard."
  }

  assert {
    condition     = !contains(flatten([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource]), "*")
    error_message = "Without tracing no statement may apply to every resource."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "WriteLogs"
    ]) == ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/tally-test-ingest:*"]
    error_message = "Log writing must be limited to the function's log group."
  }

  assert {
    condition     = aws_lambda_function.this.tracing_config[0].mode == "PassThrough"
    error_message = "Tracing must be PassThrough by default."
  }
}

run "adds_xray_permissions_only_when_tracing_is_active" {
  command = apply

  variables {
    tracing_mode = "Active"
  }

  assert {
    condition     = aws_lambda_function.this.tracing_config[0].mode == "Active"
    error_message = "tracing_mode must reach the function."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s if contains(s.Resource, "*")
      ] == [{
        Sid      = "WriteTraces"
        Effect   = "Allow"
        Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        Resource = ["*"]
    }]
    error_message = "The X-Ray statement must be the only one on every resource."
  }
}

run "rejects_visibility_timeout_below_six_times_the_function_timeout" {
  command = plan

  variables {
    source_queue_visibility_timeout_seconds = 1799
  }

  expect_failures = [aws_lambda_event_source_mapping.this]
}

run "rejects_missing_package" {
  command = plan

  variables {
    filename = "tests/fixtures/missing.zip"
  }

  expect_failures = [aws_lambda_function.this]
}

run "rejects_maximum_concurrency_of_one" {
  command = plan

  variables {
    maximum_concurrency = 1
  }

  expect_failures = [var.maximum_concurrency]
}

run "rejects_maximum_concurrency_above_1000" {
  command = plan

  variables {
    maximum_concurrency = 1001
  }

  expect_failures = [var.maximum_concurrency]
}

run "rejects_unsupported_log_retention" {
  command = plan

  variables {
    log_retention_in_days = 10
  }

  expect_failures = [var.log_retention_in_days]
}

run "rejects_unknown_tracing_mode" {
  command = plan

  variables {
    tracing_mode = "On"
  }

  expect_failures = [var.tracing_mode]
}

run "rejects_timeout_above_15_minutes" {
  command = plan

  variables {
    timeout = 901
  }

  expect_failures = [var.timeout]
}

run "rejects_large_batch_without_batching_window" {
  command = plan

  variables {
    batch_size = 11
  }

  expect_failures = [var.batch_size]
}

run "rejects_optional_settings_that_contradict_the_others" {
  command = plan

  variables {
    reserved_concurrent_executions = 9      # below maximum_concurrency: the event source would be throttled
    application_log_level          = "WARN" # log levels need JSON logs
    system_log_level               = "WARN"
    live_version                   = "3" # an alias needs published versions
  }

  expect_failures = [var.reserved_concurrent_executions, var.application_log_level, var.system_log_level, var.live_version]
}

run "rejects_wildcard_actions" {
  command = plan

  variables {
    policy_statements = [{
      sid       = "Everything"
      actions   = ["sqs:*"]
      resources = ["arn:aws:sqs:eu-west-1:123456789012:tally-test-ingest"]
    }]
  }

  expect_failures = [var.policy_statements]
}

run "rejects_wildcard_resources" {
  command = plan

  variables {
    policy_statements = [{
      sid       = "AnyQueue"
      actions   = ["sqs:SendMessage"]
      resources = ["*"]
    }]
  }

  expect_failures = [var.policy_statements]
}
