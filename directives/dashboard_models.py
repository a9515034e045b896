"""Models of the oversight dashboards (owned by the dashboards work)."""
