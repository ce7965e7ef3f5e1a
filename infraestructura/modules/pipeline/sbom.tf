# SBOMs of the deployed images, beside them and keyed by image digest: sbom/<function>/sha256-<hex>.cdx.json.
# Only deploys write here (iam-deploy.tf). Versioned, encrypted with the system's key, private, TLS only.

resource "aws_s3_bucket" "sbom" {
  #checkov:skip=CKV_AWS_18:Access logs would need a second bucket per system; CloudTrail data events cover the writes
  #checkov:skip=CKV_AWS_144:SBOMs are rebuilt from the images; cross-region replication is not worth a second bucket
  #checkov:skip=CKV2_AWS_62:Nothing consumes SBOM events
  # S3 bucket prefixes are at most 37 characters.
  bucket_prefix = "${substr(var.name, 0, 31)}-sbom-"
  force_destroy = var.ecr_force_delete
  tags          = local.tags
}

resource "aws_s3_bucket_versioning" "sbom" {
  bucket = aws_s3_bucket.sbom.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "sbom" {
  bucket = aws_s3_bucket.sbom.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    # One data key per bucket instead of one KMS call per object.
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "sbom" {
  bucket = aws_s3_bucket.sbom.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "sbom" {
  bucket = aws_s3_bucket.sbom.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "sbom" {
  bucket = aws_s3_bucket.sbom.id

  rule {
    id     = "old-versions-and-failed-uploads"
    status = "Enabled"

    filter {}

    # A re-run deploy overwrites an SBOM with the same content; the older copy goes after a year.
    noncurrent_version_expiration {
      noncurrent_days = 365
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.sbom]
}

resource "aws_s3_bucket_policy" "sbom" {
  bucket = aws_s3_bucket.sbom.id
  policy = data.aws_iam_policy_document.sbom_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.sbom]
}

data "aws_iam_policy_document" "sbom_bucket" {
  # A Deny on every action is the usual TLS-only guard; it allows nothing.
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.sbom.arn, "${aws_s3_bucket.sbom.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
