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

  # SLOs and the subscriber, from the EMF metrics (namespace Ingesta). Thresholds are the page lines (14.4x budget).
  slo_widgets = [
    {
      type = "metric", x = 0, y = 12, width = 8, height = 6
      properties = {
        title  = "SLO: API availability (5xx ratio, /health excluded; page line 14.4x of 0.1%)"
        region = local.dashboard_region
        period = 300
        metrics = concat(
          [[{ expression = local.slo_api_error_ratio, label = "5xx ratio", id = "error_ratio" }]],
          [for id, series in local.slo_api_series : ["Ingesta", "ApiRequests", "service", local.api_function_name, "route", series.route, "statusClass", series.status_class, { id = id, stat = "Sum", visible = false }]],
        )
        annotations = { horizontal = [{ label = "page (1h and 5m)", value = 14.4 * local.slo_error_budgets.api_availability }] }
      }
    },
    {
      type = "metric", x = 8, y = 12, width = 8, height = 6
      properties = {
        title  = "SLO: API latency (share of GET /users* slower than 250 ms; page line 14.4x of 1%)"
        region = local.dashboard_region
        period = 300
        metrics = concat(
          [[{ expression = local.slo_latency_slow_ratio, label = "share slower than 250 ms", id = "slow_ratio" }]],
          [for id in keys(local.slo_latency_routes) : [{ expression = "count_${id} * (100 - within_${id}) / 100", id = "slow_${id}", visible = false }]],
          [for id, series in local.slo_latency_series : ["Ingesta", "ApiLatency", "service", local.api_function_name, "route", series.route, "method", "GET", { id = id, stat = series.stat, visible = false }]],
        )
        annotations = { horizontal = [{ label = "page (1h and 5m)", value = 14.4 * local.slo_error_budgets.api_latency }] }
      }
    },
    {
      type = "metric", x = 16, y = 12, width = 8, height = 6
      properties = {
        title  = "SLO: freshness (% of events written within 60 s; objective 99)"
        region = local.dashboard_region
        period = 300
        metrics = [
          ["Ingesta", "EventAge", "service", local.subscriber_function_name, { stat = "PR(:60000)", label = "% within 60 s" }],
        ]
        annotations = { horizontal = [{ label = "objective", value = 99 }] }
      }
    },
    {
      type = "metric", x = 0, y = 18, width = 8, height = 6
      properties = {
        title  = "API latency p99 by route and method, ms"
        region = local.dashboard_region
        period = 300
        stat   = "p99"
        metrics = [
          ["Ingesta", "ApiLatency", "service", local.api_function_name, "route", "/users", "method", "GET"],
          ["Ingesta", "ApiLatency", "service", local.api_function_name, "route", "/users/{id}", "method", "GET"],
          ["Ingesta", "ApiLatency", "service", local.api_function_name, "route", "/users", "method", "POST"],
        ]
        annotations = { horizontal = [{ label = "SLO threshold", value = 250 }] }
      }
    },
    {
      type = "metric", x = 8, y = 18, width = 8, height = 6
      properties = {
        title  = "Subscriber: records and batches"
        region = local.dashboard_region
        period = 60
        stat   = "Sum"
        metrics = [
          ["Ingesta", "RecordsWritten", "service", local.subscriber_function_name],
          ["Ingesta", "RecordsUnchanged", "service", local.subscriber_function_name],
          ["Ingesta", "RecordsFailed", "service", local.subscriber_function_name],
          ["Ingesta", "Batches", "service", local.subscriber_function_name, "result", "partial"],
          ["Ingesta", "Batches", "service", local.subscriber_function_name, "result", "error"],
        ]
      }
    },
    {
      type = "metric", x = 16, y = 18, width = 8, height = 6
      properties = {
        title  = "Subscriber: batch duration and event age p99, ms"
        region = local.dashboard_region
        period = 300
        stat   = "p99"
        metrics = [
          ["Ingesta", "BatchDuration", "service", local.subscriber_function_name],
          ["Ingesta", "EventAge", "service", local.subscriber_function_name],
        ]
      }
    },
  ]

  slo_alarm_widgets = var.create_slo_alarms ? [
    {
      type = "alarm", x = 0, y = 24, width = 24, height = 3
      properties = {
        title  = "SLO pages"
        alarms = [for alarm in aws_cloudwatch_composite_alarm.slo_page : alarm.arn]
      }
    },
  ] : []
}

resource "aws_cloudwatch_dashboard" "this" {
  count = var.create_dashboard ? 1 : 0

  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = concat(local.dashboard_widgets, local.slo_widgets, local.slo_alarm_widgets) })
}
