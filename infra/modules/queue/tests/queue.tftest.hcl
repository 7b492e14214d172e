mock_provider "aws" {}

# Distinct, real-looking identifiers for the two queues, so assertions can tell them apart.
override_resource {
  target = aws_sqs_queue.this
  values = {
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-ingest"
    arn = "arn:aws:sqs:eu-west-1:123456789012:tally-test-ingest"
  }
}

override_resource {
  target = aws_sqs_queue.dlq
  values = {
    id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-ingest-dlq"
    arn = "arn:aws:sqs:eu-west-1:123456789012:tally-test-ingest-dlq"
  }
}

variables {
  name                       = "tally-test-ingest"
  visibility_timeout_seconds = 1800
  message_retention_seconds  = 345600
  max_receive_count          = 5
}

run "creates_encrypted_queue_and_dlq" {
  command = apply

  assert {
    condition     = aws_sqs_queue.this.name == "tally-test-ingest" && aws_sqs_queue.dlq.name == "tally-test-ingest-dlq"
    error_message = "The DLQ must be named <name>-dlq."
  }

  assert {
    condition     = aws_sqs_queue.this.sqs_managed_sse_enabled && aws_sqs_queue.dlq.sqs_managed_sse_enabled && aws_sqs_queue.this.kms_master_key_id == null
    error_message = "Both queues must use SQS-managed server-side encryption."
  }

  assert {
    condition     = aws_sqs_queue.this.visibility_timeout_seconds == 1800 && aws_sqs_queue.this.message_retention_seconds == 345600
    error_message = "Visibility timeout and retention must come from the variables."
  }

  assert {
    condition     = aws_sqs_queue.dlq.message_retention_seconds == 1209600
    error_message = "The DLQ must keep messages for 14 days by default."
  }
}

run "redrives_to_the_dlq" {
  command = apply

  assert {
    condition     = jsondecode(aws_sqs_queue_redrive_policy.this.redrive_policy).deadLetterTargetArn == "arn:aws:sqs:eu-west-1:123456789012:tally-test-ingest-dlq"
    error_message = "The redrive policy must target the DLQ."
  }

  assert {
    condition     = jsondecode(aws_sqs_queue_redrive_policy.this.redrive_policy).maxReceiveCount == 5
    error_message = "maxReceiveCount must come from max_receive_count."
  }

  assert {
    condition     = aws_sqs_queue_redrive_policy.this.queue_url == output.queue_url
    error_message = "The redrive policy must be set on the source queue."
  }

  assert {
    condition = jsondecode(aws_sqs_queue_redrive_allow_policy.dlq.redrive_allow_policy) == {
      redrivePermission = "byQueue"
      sourceQueueArns   = ["arn:aws:sqs:eu-west-1:123456789012:tally-test-ingest"]
    }
    error_message = "The DLQ must accept messages only from its source queue."
  }

  assert {
    condition     = output.dlq_url == "https://sqs.eu-west-1.amazonaws.com/123456789012/tally-test-ingest-dlq" && output.queue_arn == "arn:aws:sqs:eu-west-1:123456789012:tally-test-ingest"
    error_message = "Outputs must expose the queue and DLQ identifiers."
  }
}

run "encrypts_both_queues_with_a_customer_managed_key_when_given" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0b6e1c4a-1111-4c1e-9d7a-2f0e2e7c1a11"
  }

  assert {
    condition = alltrue([
      for q in [aws_sqs_queue.this, aws_sqs_queue.dlq] :
      q.kms_master_key_id == "arn:aws:kms:eu-west-1:123456789012:key/0b6e1c4a-1111-4c1e-9d7a-2f0e2e7c1a11"
    ])
    error_message = "Both queues must use the customer managed key (the provider refuses SSE-SQS with it)."
  }
}

run "rejects_a_dlq_that_keeps_messages_no_longer_than_its_queue" {
  command = plan

  variables {
    message_retention_seconds     = 1209600
    dlq_message_retention_seconds = 1209600
  }

  expect_failures = [var.dlq_message_retention_seconds]
}

run "rejects_visibility_timeout_above_12_hours" {
  command = plan

  variables {
    visibility_timeout_seconds = 43201
  }

  expect_failures = [var.visibility_timeout_seconds]
}

run "rejects_retention_below_one_minute" {
  command = plan

  variables {
    message_retention_seconds = 59
  }

  expect_failures = [var.message_retention_seconds]
}

run "rejects_dlq_retention_above_14_days" {
  command = plan

  variables {
    dlq_message_retention_seconds = 1209601
  }

  expect_failures = [var.dlq_message_retention_seconds]
}

run "rejects_max_receive_count_of_zero" {
  command = plan

  variables {
    max_receive_count = 0
  }

  expect_failures = [var.max_receive_count]
}

run "rejects_max_receive_count_above_1000" {
  command = plan

  variables {
    max_receive_count = 1001
  }

  expect_failures = [var.max_receive_count]
}

run "rejects_invalid_queue_name" {
  command = plan

  variables {
    name = "tally dev ingest"
  }

  expect_failures = [var.name]
}
