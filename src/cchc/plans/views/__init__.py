"""The plans app's pages, one module per family: plans (plans, areas, targets), tasks, dashboard,
reports (periodic reports), inspections and imports (reading a plan document). `common` holds what
they share: scoped look-ups and the plan's period picker."""
