mock_provider "aws" {
  mock_resource "aws_dynamodb_table" {
    defaults = {
      arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/tally-test-staging"
    }
  }
}

variables {
  name = "tally-test-staging"
}

run "creates_on_demand_table_with_string_keys" {
  command = apply

  assert {
    condition     = aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST"
    error_message = "The table must be on-demand."
  }

  assert {
    condition     = aws_dynamodb_table.this.hash_key == "pk" && aws_dynamodb_table.this.range_key == "sk"
    error_message = "Keys must default to pk and sk."
  }

  assert {
    condition     = { for a in aws_dynamodb_table.this.attribute : a.name => a.type } == { pk = "S", sk = "S" }
    error_message = "Exactly the two key attributes must be declared, both of type S."
  }

  assert {
    condition     = output.table_arn == "arn:aws:dynamodb:eu-west-1:123456789012:table/tally-test-staging"
    error_message = "table_arn must expose the table ARN."
  }
}

run "protects_and_expires_data" {
  command = plan

  assert {
    condition     = aws_dynamodb_table.this.ttl[0].enabled && aws_dynamodb_table.this.ttl[0].attribute_name == "expires_at"
    error_message = "TTL must be on, on expires_at."
  }

  assert {
    condition     = aws_dynamodb_table.this.point_in_time_recovery[0].enabled
    error_message = "Point-in-time recovery must be on by default."
  }

  assert {
    condition     = aws_dynamodb_table.this.server_side_encryption[0].enabled
    error_message = "Server-side encryption must be on."
  }

  assert {
    condition     = aws_dynamodb_table.this.deletion_protection_enabled == false
    error_message = "Deletion protection must be off by default."
  }
}

run "turns_deletion_protection_on" {
  command = plan

  variables {
    deletion_protection_enabled = true
    ttl_attribute               = "expiry"
  }

  assert {
    condition     = aws_dynamodb_table.this.deletion_protection_enabled
    error_message = "deletion_protection_enabled must reach the table."
  }

  assert {
    condition     = aws_dynamodb_table.this.ttl[0].attribute_name == "expiry"
    error_message = "ttl_attribute must reach the table."
  }
}

run "rejects_invalid_table_name" {
  command = plan

  variables {
    name = "tally staging"
  }

  expect_failures = [var.name]
}

run "rejects_non_kms_key_arn" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:sqs:eu-west-1:123456789012:not-a-key"
  }

  expect_failures = [var.kms_key_arn]
}
