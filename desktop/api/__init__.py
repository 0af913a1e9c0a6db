"""Toggl Track API v9 client: plain typed Python over httpx, no Qt.

Import from the submodules (`desktop.api.client`, `desktop.api.errors`, ...): this package
re-exports nothing, so that importing `desktop.api.endpoint` does not pull in httpx.
"""
