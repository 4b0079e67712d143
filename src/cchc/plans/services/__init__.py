"""Every change to plans, targets, tasks, reports and inspections goes through these functions."""
