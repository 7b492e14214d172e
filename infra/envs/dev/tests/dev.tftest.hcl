mock_provider "aws" {
  mock_resource "aws_s3_bucket" {
    defaults = {
      id     = "tally-dev-input-20250101000000000000000001"
      bucket = "tally-dev-input-20250101000000000000000001"
      arn    = "arn:aws:s3:::tally-dev-input-20250101000000000000000001"
    }
  }

  mock_resource "aws_sqs_queue" {
    defaults = {
      id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-dev-queue"
      arn = "arn:aws:sqs:eu-west-1:123456789012:tally-dev-queue"
    }
  }

  mock_resource "aws_dynamodb_table" {
    defaults = {
      arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/tally-dev-staging"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/tally-dev-function"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/tally-dev-function"
    }
  }

  mock_resource "aws_lambda_function" {
    defaults = {
      arn = "arn:aws:lambda:eu-west-1:123456789012:function:tally-dev-function"
    }
  }

  mock_resource "aws_lambda_event_source_mapping" {
    defaults = {
      function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:tally-dev-function"
    }
  }

  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:eu-west-1:123456789012:tally-dev-alarms"
    }
  }
}

variables {
  package_dir = "../../modules/tally/tests/fixtures"
}

run "is_small_unprotected_and_quiet_in_dev" {
  command = apply

  assert {
    condition     = !output.table.deletion_protection_enabled
    error_message = "The dev table must be deletable."
  }

  assert {
    condition     = { for k, f in output.function_configurations : k => [f.log_retention_in_days, f.tracing_mode, f.maximum_concurrency] } == { ingest = [14, "PassThrough", 2], aggregator = [14, "PassThrough", 2] }
    error_message = "Dev must keep logs 14 days, pass tracing through and run two invocations at most per function."
  }

  assert {
    condition     = output.alarm_topic_arn == null && alltrue([for actions in values(output.alarms) : length(actions) == 0])
    error_message = "Without alarm_email dev has no alarm topic and its alarms notify nobody."
  }
}

run "pages_when_given_an_alarm_email" {
  command = apply

  variables {
    alarm_email = "dev@example.com"
  }

  assert {
    condition     = output.alarm_subscriptions == [{ protocol = "email", endpoint = "dev@example.com" }] && alltrue([for actions in values(output.alarms) : length(actions) == 1])
    error_message = "With alarm_email every dev alarm must notify the topic it is subscribed to."
  }
}
