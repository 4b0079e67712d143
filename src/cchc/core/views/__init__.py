"""The pages of core: the audit trail (a filterable list and each object's history)."""
