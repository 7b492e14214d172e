resource "aws_dynamodb_table" "this" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = var.hash_key
  range_key    = var.range_key

  deletion_protection_enabled = var.deletion_protection_enabled

  attribute {
    name = var.hash_key
    type = "S"
  }

  attribute {
    name = var.range_key
    type = "S"
  }

  # Staged rows carry an epoch-seconds expiry; DynamoDB deletes them some time after it passes
  # (typically within days), so readers must still ignore expired items.
  ttl {
    enabled        = true
    attribute_name = var.ttl_attribute
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery_enabled
  }

  # Without kms_key_arn this uses the AWS managed key `aws/dynamodb`.
  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}
