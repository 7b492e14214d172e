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
      arn = "arn:aws:lambda:eu-west-1:123456789012:function:tally-test-ingest"
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

run "creates_arm64_node22_function_from_the_package" {
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
