"""The national instance's comparison of the provinces: figures side by side, submission status."""
