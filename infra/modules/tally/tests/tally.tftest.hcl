mock_provider "aws" {
  mock_resource "aws_s3_bucket" {
    defaults = {
      id     = "tally-test-input-20250101000000000000000001"
      bucket = "tally-test-input-20250101000000000000000001"
      arn    = "arn:aws:s3:::tally-test-input-20250101000000000000000001"
    }
  }

  mock_resource "aws_sqs_queue" {
    defaults = {
      id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-queue"
      arn = "arn:aws:sqs:eu-west-1:123456789012:tally-test-queue"
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

# The real pipeline.json: a value the pipeline module refuses (a DLQ keeping messages no longer
# than its queue, an unknown runtime) fails every run here.
variables {
  environment = "test"
  pipeline    = jsondecode(file("../../../pipeline.json"))
  package_dir = "tests/fixtures"
}

run "maps_pipeline_json_and_defaults_to_an_unprotected_quiet_environment" {
  command = apply

  assert {
    condition     = output.function_names == { ingest = "tally-test-ingest", aggregator = "tally-test-aggregator" } && output.table_name == "tally-test-staging" && output.input_prefix == var.pipeline.inputPrefix
    error_message = "Resources must be named tally-<environment>-<suffix from pipeline.json>."
  }

  assert {
    condition = {
      for k, f in output.function_configurations : k => [f.runtime, f.memory_size, f.timeout, f.maximum_concurrency]
      } == {
      for k, f in var.pipeline.functions : k => [var.pipeline.lambdaRuntime, f.memoryMb, f.timeoutSeconds, f.maximumConcurrency]
    }
    error_message = "Each function must get pipeline.json's runtime, memory, timeout and maximum concurrency."
  }

  assert {
    condition     = alltrue([for f in values(output.function_configurations) : f.log_retention_in_days == 30 && f.tracing_mode == "PassThrough" && f.log_format == "Text" && f.reserved_concurrent_executions == -1 && f.live_version == null])
    error_message = "Without overrides logs are kept 30 days as text, tracing is PassThrough, and nothing is reserved or versioned."
  }

  assert {
    condition     = !output.table.deletion_protection_enabled && output.alarm_topic_arn == null && output.kms_key_arn == null && output.access_log_bucket_name == null
    error_message = "Without overrides there is no deletion protection, alarm topic, customer managed key or access log bucket."
  }
}

run "applies_the_overrides_of_an_environment" {
  command = apply

  variables {
    overrides = {
      functions = {
        ingest     = { maximum_concurrency = 2 }
        aggregator = { reserved_concurrency = 6, live_version = "3" }
      }
      log_retention_in_days       = 90
      tracing_mode                = "Active"
      deletion_protection_enabled = true
      alarm_email                 = "oncall@example.com"
      publish_function_versions   = true
      log_format                  = "JSON"
      application_log_level       = "INFO"
    }
  }

  assert {
    condition = {
      for k, f in output.function_configurations : k => [f.maximum_concurrency, f.reserved_concurrent_executions, f.live_version, f.log_retention_in_days, f.tracing_mode, f.log_format, f.application_log_level]
      } == {
      ingest     = [2, -1, "7", 90, "Active", "JSON", "INFO"]
      aggregator = [var.pipeline.functions.aggregator.maximumConcurrency, 6, "3", 90, "Active", "JSON", "INFO"]
    }
    error_message = "Per-function and environment-wide overrides must reach the functions."
  }

  assert {
    condition     = output.table.deletion_protection_enabled && output.alarm_subscriptions == [{ protocol = "email", endpoint = "oncall@example.com" }] && output.alarm_topic_arn == "arn:aws:sns:eu-west-1:123456789012:tally-test-alarms"
    error_message = "deletion_protection_enabled and alarm_email (which brings the topic) must reach the pipeline."
  }
}

run "rejects_an_environment_name_that_would_not_fit_the_bucket_name" {
  command = plan

  variables {
    environment = "a-very-long-environment-name"
  }

  expect_failures = [var.environment]
}
