"""The business service's follow-up on the mentor programme."""
