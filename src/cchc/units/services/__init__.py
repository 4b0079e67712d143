"""The write side of units: creating and changing units (units), importing and exporting them as files
(importing), loading the official units of a province (official)."""
