mock_provider "aws" {
  mock_resource "aws_s3_bucket" {
    defaults = {
      id     = "tally-prod-input-20250101000000000000000001"
      bucket = "tally-prod-input-20250101000000000000000001"
      arn    = "arn:aws:s3:::tally-prod-input-20250101000000000000000001"
    }
  }

  mock_resource "aws_sqs_queue" {
    defaults = {
      id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-prod-queue"
      arn = "arn:aws:sqs:eu-west-1:123456789012:tally-prod-queue"
    }
  }

  mock_resource "aws_dynamodb_table" {
    defaults = {
      arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/tally-prod-staging"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/tally-prod-function"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/tally-prod-function"
    }
  }

  mock_resource "aws_lambda_function" {
    defaults = {
      arn = "arn:aws:lambda:eu-west-1:123456789012:function:tally-prod-function"
    }
  }

  mock_resource "aws_lambda_event_source_mapping" {
    defaults = {
      function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:tally-prod-function"
    }
  }

  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:eu-west-1:123456789012:tally-prod-alarms"
    }
  }
}

variables {
  alarm_email = "oncall@example.com"
  package_dir = "../../modules/tally/tests/fixtures"
}

run "protects_keeps_logs_traces_and_pages_in_prod" {
  command = apply

  assert {
    condition     = output.table.deletion_protection_enabled && output.table.point_in_time_recovery_enabled
    error_message = "The prod table must be protected from deletion and recoverable to a point in time."
  }

  assert {
    condition     = { for k, f in output.function_configurations : k => [f.log_retention_in_days, f.tracing_mode] } == { ingest = [90, "Active"], aggregator = [90, "Active"] }
    error_message = "Prod must keep function logs 90 days and trace actively."
  }

  assert {
    condition     = output.alarm_subscriptions == [{ protocol = "email", endpoint = "oncall@example.com" }]
    error_message = "The prod alarm topic must have alarm_email subscribed."
  }

  assert {
    condition     = length(output.alarms) == 14 && alltrue([for actions in values(output.alarms) : actions == tolist(["arn:aws:sns:eu-west-1:123456789012:tally-prod-alarms"])])
    error_message = "Every prod alarm must notify the alarm topic."
  }

  assert {
    condition = { for k, f in output.function_configurations : k => [f.runtime, f.maximum_concurrency] } == {
      for k, f in jsondecode(file("../../../pipeline.json")).functions : k => [jsondecode(file("../../../pipeline.json")).lambdaRuntime, f.maximumConcurrency]
    }
    error_message = "Prod functions must run pipeline.json's runtime at its maximum concurrency."
  }
}

run "lets_an_operator_lift_deletion_protection_with_a_variable" {
  command = plan

  variables {
    deletion_protection_enabled = false
  }

  assert {
    condition     = !output.table.deletion_protection_enabled
    error_message = "deletion_protection_enabled must reach the table, so destroying prod is not an edit of main.tf."
  }
}

run "rejects_prod_without_an_alarm_subscriber" {
  command = plan

  variables {
    alarm_email = null
  }

  expect_failures = [var.alarm_email]
}
