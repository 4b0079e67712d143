"""cchc: software for running a province's administrative-reform (CCHC) programme."""
