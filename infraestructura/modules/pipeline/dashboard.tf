# One screen for the pipeline: API traffic, queue health, subscriber work, database capacity.

locals {
  dashboard_region = local.region

  dashboard_widgets = [
    {
      type = "metric", x = 0, y = 0, width = 12, height = 6
      properties = {
        title  = "API (Function URL)"
        region = local.dashboard_region
        stat   = "Sum"
        period = 60
        metrics = [
          ["AWS/Lambda", "UrlRequestCount", "FunctionName", local.api_function_name],
          ["AWS/Lambda", "Url4xxCount", "FunctionName", local.api_function_name],
          ["AWS/Lambda", "Url5xxCount", "FunctionName", local.api_function_name],
        ]
      }
    },
    {
      type = "metric", x = 12, y = 0, width = 12, height = 6
      properties = {
        title  = "Queue and DLQ"
        region = local.dashboard_region
        stat   = "Maximum"
        period = 60
        metrics = [
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.this.name],
          ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", aws_sqs_queue.this.name],
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.dlq.name],
        ]
      }
    },
    {
      type = "metric", x = 0, y = 6, width = 12, height = 6
      properties = {
        title  = "Functions: errors, throttles, concurrency"
        region = local.dashboard_region
        stat   = "Sum"
        period = 60
        # concat, not flatten: flatten would also merge each metric's own array.
        metrics = concat(
          [for function_name in values(local.monitored_functions) : ["AWS/Lambda", "Errors", "FunctionName", function_name]],
          [for function_name in values(local.monitored_functions) : ["AWS/Lambda", "Throttles", "FunctionName", function_name]],
          [for function_name in values(local.monitored_functions) : ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", function_name, { stat = "Maximum" }]],
        )
      }
    },
    {
      type = "metric", x = 12, y = 6, width = 12, height = 6
      properties = {
        title  = "Aurora: capacity and connections"
        region = local.dashboard_region
        stat   = "Maximum"
        period = 60
        metrics = [
          ["AWS/RDS", "ServerlessDatabaseCapacity", "DBClusterIdentifier", aws_rds_cluster.this.cluster_identifier],
          ["AWS/RDS", "DatabaseConnections", "DBClusterIdentifier", aws_rds_cluster.this.cluster_identifier],
        ]
      }
    },
  ]
}

resource "aws_cloudwatch_dashboard" "this" {
  count = var.create_dashboard ? 1 : 0

  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}
