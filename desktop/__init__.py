"""Task Desk: create tasks in Toggl Track projects, online or offline."""

APP_NAME = "Task Desk"
APP_ID = "task-desk"
__version__ = "0.1.0"
