"""Conversations between a graduate and a task's company."""
