"""Placeholder: the working-day calendar models are being written."""
