"""Use cases. Views call these; they own the rules and the transactions."""
