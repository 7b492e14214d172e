provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "tally"
      Environment = "prod"
    }
  }
}

module "tally" {
  source = "../../modules/tally"

  environment = "prod"
  # The one description of resource names and settings, shared with the local stack.
  pipeline    = jsondecode(file("${path.module}/../../../pipeline.json"))
  package_dir = var.package_dir

  overrides = {
    log_retention_in_days       = 90
    tracing_mode                = var.tracing_mode
    deletion_protection_enabled = var.deletion_protection_enabled
    input_expiration_days       = 30
    alarm_email                 = var.alarm_email
  }
}
