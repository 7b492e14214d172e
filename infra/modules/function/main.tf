locals {
  tracing_active = var.tracing_mode == "Active"

  log_statement = {
    sid        = "WriteLogs"
    actions    = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources  = ["${aws_cloudwatch_log_group.this.arn}:*"]
    conditions = []
  }

  # xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level
  # permissions: "*" is the only resource they accept, so this is the one "*" in the policy.
  xray_statement = {
    sid        = "WriteTraces"
    actions    = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources  = ["*"]
    conditions = []
  }

  statements = concat(
    var.policy_statements,
    [local.log_statement],
    local.tracing_active ? [local.xray_statement] : [],
  )
}

resource "aws_iam_role" "this" {
  name        = var.name
  description = "Execution role of the ${var.name} Lambda function."

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name = var.name
  role = aws_iam_role.this.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [for s in local.statements : merge(
      {
        Sid      = s.sid
        Effect   = "Allow"
        Action   = s.actions
        Resource = s.resources
      },
      # IAM wants the conditions grouped by operator: { StringEquals = { "<key>" = [...] } }.
      length(s.conditions) == 0 ? {} : {
        Condition = {
          for test in distinct([for c in s.conditions : c.test]) : test => {
            for c in s.conditions : c.variable => c.values if c.test == test
          }
        }
      },
    )]
  })
}

# Created here rather than by Lambda on first run, so it has a retention and Terraform removes it.
resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  description   = var.description
  role          = aws_iam_role.this.arn

  filename = var.filename
  # The guard keeps a missing build from failing inside filebase64sha256, so that the
  # precondition below gives the message instead.
  source_code_hash = fileexists(var.filename) ? filebase64sha256(var.filename) : null
  handler          = var.handler
  runtime          = var.runtime
  architectures    = [var.architecture]
  memory_size      = var.memory_size
  timeout          = var.timeout
  # A version per code or configuration change, so the live alias can point back at an older one.
  publish                        = var.publish_versions
  reserved_concurrent_executions = coalesce(var.reserved_concurrent_executions, -1)

  dynamic "environment" {
    for_each = length(var.environment_variables) > 0 ? [var.environment_variables] : []
    content {
      variables = environment.value
    }
  }

  tracing_config {
    mode = var.tracing_mode
  }

  logging_config {
    log_format            = var.log_format
    log_group             = aws_cloudwatch_log_group.this.name
    application_log_level = var.application_log_level
    system_log_level      = var.system_log_level
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = fileexists(var.filename)
      error_message = "Lambda package ${var.filename} does not exist: run `npx nx run-many -t build` first."
    }
  }

  # The role needs its permissions before the function can log.
  depends_on = [aws_iam_role_policy.this]
}

# With versions published, the queue feeds the `live` alias: rolling back is pointing it at an
# older version (live_version), with no new deployment of code.
resource "aws_lambda_alias" "live" {
  count = var.publish_versions ? 1 : 0

  name             = "live"
  description      = "The version the SQS event source invokes."
  function_name    = aws_lambda_function.this.function_name
  function_version = coalesce(var.live_version, aws_lambda_function.this.version)
}

resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn = var.source_queue_arn
  function_name    = var.publish_versions ? aws_lambda_alias.live[0].arn : aws_lambda_function.this.arn

  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.maximum_batching_window_in_seconds
  # The handler returns the IDs of failed messages; only those go back to the queue.
  function_response_types = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.maximum_concurrency
  }

  tags = var.tags

  lifecycle {
    precondition {
      # AWS guidance for SQS event sources: a visibility timeout of at least 6x the function
      # timeout, so retries of a throttled or slow batch do not release messages while still running.
      condition     = var.source_queue_visibility_timeout_seconds >= 6 * var.timeout
      error_message = "The source queue's visibility timeout (${var.source_queue_visibility_timeout_seconds} s) must be at least 6x the function timeout (${6 * var.timeout} s)."
    }
  }

  # Lambda checks that the role may receive from the queue when the mapping is created.
  depends_on = [aws_iam_role_policy.this]
}
