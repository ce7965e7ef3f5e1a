# One CloudWatch dashboard for every system in this account and region. Each widget is a metric-math SEARCH over
# the Ingesta namespace by the service dimension (POWERTOOLS_SERVICE_NAME, the function name), so a system added
# later, here or in another state, appears without regenerating or re-applying this dashboard. SORT puts the worst
# systems first. Per-system ratios and the SLO pages stay on each system's own dashboard and alarms.

locals {
  fleet_period = 3600

  fleet_widgets = [
    {
      type = "text", x = 0, y = 0, width = 24, height = 2
      properties = {
        markdown = "**Ingesta fleet**: every system that sends metrics to this region, worst first. SLIs over 1h (the page window); objectives 99% for freshness and latency. A system's own dashboard (named like the system) has its SLO ratios and pages. Runbooks: observability/runbooks in the repository."
      }
    },
    {
      type = "metric", x = 0, y = 2, width = 12, height = 8
      properties = {
        title  = "Freshness SLI by system: % of events written within 60 s (1h), worst first"
        region = var.aws_region
        period = local.fleet_period
        metrics = [
          [{ id = "freshness", label = "", expression = "SORT(SEARCH('{Ingesta,service} MetricName=\"EventAge\"', 'PR(:60000)', ${local.fleet_period}), MIN, ASC)" }],
        ]
        yAxis       = { left = { min = 0, max = 100 } }
        annotations = { horizontal = [{ label = "objective", value = 99 }] }
      }
    },
    {
      type = "metric", x = 12, y = 2, width = 12, height = 8
      properties = {
        title  = "Latency SLI by system and read route: % of GET /users* within 250 ms (1h), worst first"
        region = var.aws_region
        period = local.fleet_period
        metrics = [
          [{ id = "latency", label = "", expression = "SORT(SEARCH('{Ingesta,service,route,method} MetricName=\"ApiLatency\" method=\"GET\" route=users', 'PR(:250)', ${local.fleet_period}), MIN, ASC)" }],
        ]
        yAxis       = { left = { min = 0, max = 100 } }
        annotations = { horizontal = [{ label = "objective", value = 99 }] }
      }
    },
    {
      type = "metric", x = 0, y = 10, width = 12, height = 8
      properties = {
        title  = "API 5xx by system and route (count per hour), most first"
        region = var.aws_region
        period = local.fleet_period
        metrics = [
          [{ id = "errors", label = "", expression = "SORT(SEARCH('{Ingesta,service,route,statusClass} MetricName=\"ApiRequests\" statusClass=\"5xx\"', 'Sum', ${local.fleet_period}), SUM, DESC)" }],
        ]
      }
    },
    {
      type = "metric", x = 12, y = 10, width = 12, height = 8
      properties = {
        title  = "Subscriber: failed records by system (count per hour), most first"
        region = var.aws_region
        period = local.fleet_period
        metrics = [
          [{ id = "failed", label = "", expression = "SORT(SEARCH('{Ingesta,service} MetricName=\"RecordsFailed\"', 'Sum', ${local.fleet_period}), SUM, DESC)" }],
        ]
      }
    },
    {
      type = "metric", x = 0, y = 18, width = 24, height = 6
      properties = {
        title  = "Dead letters by queue (every system's <name>-dlq), most first"
        region = var.aws_region
        period = 300
        metrics = [
          [{ id = "dlq", label = "", expression = "SORT(SEARCH('{AWS/SQS,QueueName} MetricName=\"ApproximateNumberOfMessagesVisible\" QueueName=dlq', 'Maximum', 300), MAX, DESC)" }],
        ]
      }
    },
  ]
}

resource "aws_cloudwatch_dashboard" "fleet" {
  count = var.create_fleet_dashboard ? 1 : 0

  dashboard_name = "ingesta-fleet"
  dashboard_body = jsonencode({ widgets = local.fleet_widgets })
}
