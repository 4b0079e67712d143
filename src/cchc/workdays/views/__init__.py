"""The pages of the working-day calendar."""
