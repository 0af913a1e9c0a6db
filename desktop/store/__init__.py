"""Local persistence under the data directory: plain Python, no Qt."""
