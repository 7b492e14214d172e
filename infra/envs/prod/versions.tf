terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # Partial configuration: the state bucket, key and locking come from
  # `terraform init -backend-config=backend.hcl` (see backend.hcl.example).
  backend "s3" {}
}
