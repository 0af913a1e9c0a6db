"""Delivering the outbox to Toggl exactly once: plain Python, driven by a worker thread."""
