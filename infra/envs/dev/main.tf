provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "tally"
      Environment = "dev"
    }
  }
}

module "tally" {
  source = "../../modules/tally"

  environment = "dev"
  # The one description of resource names and settings, shared with the local stack.
  pipeline    = jsondecode(file("${path.module}/../../../pipeline.json"))
  package_dir = var.package_dir

  overrides = {
    # Dev runs small batches: two concurrent invocations (the SQS minimum) keep costs and
    # DynamoDB load low.
    functions = {
      ingest     = { maximum_concurrency = 2 }
      aggregator = { maximum_concurrency = 2 }
    }
    log_retention_in_days             = 14
    tracing_mode                      = var.tracing_mode
    deletion_protection_enabled       = var.deletion_protection_enabled
    input_expiration_days             = 7
    queue_age_alarm_threshold_seconds = { ingest = 3600 }
    alarm_email                       = var.alarm_email
  }
}
