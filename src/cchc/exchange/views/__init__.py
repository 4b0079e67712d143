"""The exchange's pages: the received packages and the national comparison of the provinces."""

from cchc.exchange.views.packages import may_view, packages

__all__ = ["may_view", "packages"]
