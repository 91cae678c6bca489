"""Conversations: between a graduate and a task's company, and the inbox of every thread
(mentorship threads too)."""
