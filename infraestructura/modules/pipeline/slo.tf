# SLO burn-rate pages on the EMF metrics (namespace Ingesta) for availability, latency and freshness, after the Google
# SRE workbook: a page when the error ratio is above 14.4x the budget over 1h and 5m, or above 6x over 6h and 30m.
# Each window is one metric alarm (a sliding window of one period); a composite alarm per SLO ANDs the pairs and
# notifies. The Prometheus rules in
# observability/prometheus/rules hold the same thresholds; observability/README.md says what CloudWatch cannot do.

locals {
  # Error budget of each SLO: 1 - objective.
  slo_error_budgets = {
    api_availability = 0.001
    api_latency      = 0.01
    freshness        = 0.01
  }

  slo_runbooks = {
    api_availability = "observability/runbooks/api-availability-budget-burn.md"
    api_latency      = "observability/runbooks/api-latency-budget-burn.md"
    freshness        = "observability/runbooks/freshness-budget-burn.md"
  }

  slo_burn_windows = {
    "5m"  = { period = 300, burn_rate = 14.4 }
    "1h"  = { period = 3600, burn_rate = 14.4 }
    "30m" = { period = 1800, burn_rate = 6 }
    "6h"  = { period = 21600, burn_rate = 6 }
  }

  slo_alarm_windows = var.create_slo_alarms ? local.slo_burn_windows : {}

  # Alarms cannot SEARCH, so every ApiRequests series is named: user-facing routes (not /health) x status class.
  # The API never answers 1xx or 3xx. Nine metrics, under the limit of ten per metric math alarm.
  slo_api_routes = {
    users     = "/users"
    user      = "/users/{id}"
    unmatched = "unmatched"
  }
  slo_api_series = {
    for pair in setproduct(keys(local.slo_api_routes), ["2xx", "4xx", "5xx"]) :
    "${pair[0]}_${pair[1]}" => { route = local.slo_api_routes[pair[0]], status_class = pair[1] }
  }
  slo_api_5xx_ids = [for id, series in local.slo_api_series : id if series.status_class == "5xx"]
  slo_api_error_ratio = format(
    "FILL(SUM([%s]), 0) / SUM([%s])",
    join(", ", local.slo_api_5xx_ids),
    join(", ", keys(local.slo_api_series)),
  )

  # The latency SLO covers the two read routes (GET). Per route: the percentage of ApiLatency values at or under
  # 250 ms (percentile rank, exact as EMF keeps each value) and how many values there were, to weight the routes.
  slo_latency_routes = {
    users = "/users"
    user  = "/users/{id}"
  }
  slo_latency_series = merge(
    { for id, route in local.slo_latency_routes : "within_${id}" => { route = route, stat = "PR(:250)" } },
    { for id, route in local.slo_latency_routes : "count_${id}" => { route = route, stat = "SampleCount" } },
  )
  # A route without traffic in the window has no data; SUM skips it, as it skips a missing 5xx series above.
  slo_latency_slow_ratio = format(
    "FILL(SUM([%s]), 0) / SUM([%s])",
    join(", ", [for id in keys(local.slo_latency_routes) : "slow_${id}"]),
    join(", ", [for id in keys(local.slo_latency_routes) : "count_${id}"]),
  )

  slo_burn_alarm_names = {
    api_availability = { for window, alarm in aws_cloudwatch_metric_alarm.slo_api_availability_burn : window => alarm.alarm_name }
    api_latency      = { for window, alarm in aws_cloudwatch_metric_alarm.slo_api_latency_burn : window => alarm.alarm_name }
    freshness        = { for window, alarm in aws_cloudwatch_metric_alarm.slo_freshness_burn : window => alarm.alarm_name }
  }
}

resource "aws_cloudwatch_metric_alarm" "slo_api_availability_burn" {
  for_each = local.slo_alarm_windows

  alarm_name          = "${var.name}-slo-api-availability-burn-${each.key}"
  alarm_description   = "API 5xx ratio (health probes excluded) over ${each.key} is above ${each.value.burn_rate}x the 0.1% budget. Feeds ${var.name}-slo-api-availability-page. Runbook: ${local.slo_runbooks.api_availability}"
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.burn_rate * local.slo_error_budgets.api_availability
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  tags                = local.tags

  metric_query {
    id          = "error_ratio"
    expression  = local.slo_api_error_ratio
    label       = "5xx ratio over ${each.key}"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = local.slo_api_series
    content {
      id = metric_query.key
      metric {
        namespace   = "Ingesta"
        metric_name = "ApiRequests"
        period      = each.value.period
        stat        = "Sum"
        dimensions = {
          service     = local.api_function_name
          route       = metric_query.value.route
          statusClass = metric_query.value.status_class
        }
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "slo_api_latency_burn" {
  for_each = local.slo_alarm_windows

  alarm_name          = "${var.name}-slo-api-latency-burn-${each.key}"
  alarm_description   = "Share of GET /users and GET /users/{id} slower than 250 ms, over ${each.key}, is above ${each.value.burn_rate}x the 1% budget. Feeds ${var.name}-slo-api-latency-page. Runbook: ${local.slo_runbooks.api_latency}"
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.burn_rate * local.slo_error_budgets.api_latency
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  tags                = local.tags

  metric_query {
    id          = "slow_ratio"
    expression  = local.slo_latency_slow_ratio
    label       = "Share of reads slower than 250 ms over ${each.key}"
    return_data = true
  }

  # Slow requests of a route: its count times the share above 250 ms.
  dynamic "metric_query" {
    for_each = local.slo_latency_routes
    content {
      id         = "slow_${metric_query.key}"
      expression = "count_${metric_query.key} * (100 - within_${metric_query.key}) / 100"
    }
  }

  dynamic "metric_query" {
    for_each = local.slo_latency_series
    content {
      id = metric_query.key
      metric {
        namespace   = "Ingesta"
        metric_name = "ApiLatency"
        period      = each.value.period
        stat        = metric_query.value.stat
        dimensions = {
          service = local.api_function_name
          route   = metric_query.value.route
          method  = "GET"
        }
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "slo_freshness_burn" {
  for_each = local.slo_alarm_windows

  alarm_name          = "${var.name}-slo-freshness-burn-${each.key}"
  alarm_description   = "Share of events written later than 60 s after occurredAt, over ${each.key}, is above ${each.value.burn_rate}x the 1% budget. Feeds ${var.name}-slo-freshness-page. Runbook: ${local.slo_runbooks.freshness}"
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.burn_rate * local.slo_error_budgets.freshness
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  tags                = local.tags

  metric_query {
    id          = "late_ratio"
    expression  = "(100 - within_60s) / 100"
    label       = "Late share over ${each.key}"
    return_data = true
  }

  # Percentile rank: the percentage of EventAge values at or under 60,000 ms in the window.
  metric_query {
    id = "within_60s"
    metric {
      namespace   = "Ingesta"
      metric_name = "EventAge"
      period      = each.value.period
      stat        = "PR(:60000)"
      dimensions  = { service = local.subscriber_function_name }
    }
  }
}

resource "aws_cloudwatch_composite_alarm" "slo_page" {
  for_each = var.create_slo_alarms ? local.slo_error_budgets : {}

  alarm_name        = "${var.name}-slo-${replace(each.key, "_", "-")}-page"
  alarm_description = "The ${each.key} SLO burns its 28-day budget fast (14.4x over 1h and 5m, or 6x over 6h and 30m). Runbook: ${local.slo_runbooks[each.key]}"
  alarm_rule = format(
    "(ALARM(\"%s\") AND ALARM(\"%s\")) OR (ALARM(\"%s\") AND ALARM(\"%s\"))",
    local.slo_burn_alarm_names[each.key]["1h"],
    local.slo_burn_alarm_names[each.key]["5m"],
    local.slo_burn_alarm_names[each.key]["6h"],
    local.slo_burn_alarm_names[each.key]["30m"],
  )
  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
  tags          = local.tags
}
