"""A fake Toggl Track API v9 serving real HTTP on 127.0.0.1 (stdlib only).

Typical use in tests::

    with FakeToggl() as fake:
        client = httpx.Client(base_url=fake.url, auth=(fake.token, "api_token"))
        ...
        assert fake.tasks_named("Write report")

It keeps its state in plain dicts and lists (``workspaces``, ``projects``, ``users``,
``tasks``) guarded by ``fake.lock``, records every API request (``requests``, ``count``,
``reset_log``), and offers fault controls (``fail_next``, ``delay_next``, ``drop_next``,
``delay``, ``clear_faults``, ``set_quota``, ``go_down``/``come_back``, ``revoke_token``/
``restore_token``, ``serves_references``).

The parts: ``state`` (the seeded data), ``routes`` (the API), ``quota``, ``faults`` (the
fail/delay/drop rules), ``server`` (the threaded HTTP server), ``control`` (the control
endpoint), ``fake`` (``FakeToggl`` tying them together) and ``cli``.

Run it by hand with ``python -m tests.fake_toggl --port 8765 --projects 5000 --delay 1``
(from the repository root), or ``make fake-server ARGS="--projects 5000 --delay 1"``;
``--tasks 300`` puts 300 tasks in each active project of the paid workspace.

Tasks behave as Toggl's: each keeps ``at`` (stamped on every change) and
``external_reference``; ``GET /workspaces/{wid}/tasks`` pages (``page``, ``per_page`` up to
200), filters (``pid``, ``active`` true/false/both, ``since`` a unix time, ``search``) and sorts
(``sort_field`` name or created_at); one task is GET, PUT (only the fields given change) or
DELETE (404 for a task not in the project); ``PATCH .../tasks/{id,id,...}`` takes JSON-patch
``replace`` operations and answers ``{"success": [...], "failure": [...]}``. The quota and the
fault rules apply to these routes like any other.

Control endpoint
----------------
The same port answers ``/_control`` so a person or a test can steer the fake without Python.
JSON in (a POST body object; a GET takes query parameters), JSON out; a bad request gets 400
``{"error": "..."}``. Control requests need no auth and are never failed, delayed, dropped,
logged or counted against the quota. ``method`` and ``path_contains`` (a substring of the
path, e.g. ``/tasks``) narrow a rule to matching API requests; ``count`` defaults to 1.

- ``GET /_control``: the routes and the current state (rules, delay, quota, token).
- ``POST /_control/fail`` ``{"status": 500, "message": "Toggl's words", "count": 2,
  "method": "POST", "path_contains": "/tasks"}``: the next matching requests get this status
  and ``message`` as a JSON string (or a raw ``body``; optional ``content_type``, ``headers``).
- ``POST /_control/delay`` ``{"seconds": 3, "count": 2}`` delays the next answers;
  ``{"seconds": 1, "always": true}`` delays every answer (``0`` ends it).
- ``POST /_control/drop`` ``{"when": "before_store" | "after_store", "count": 1}``: close
  the connection unanswered, before or after the request took effect (``method`` POST unless
  given).
- ``POST /_control/down`` ``{"seconds": 10}``: refuse connections for that long (this one
  answers first), then listen again on the same port.
- ``POST /_control/quota`` ``{"limit": 30, "remaining": 0, "resets_in": 120}``: Toggl's
  per-hour quota on ``/workspaces/...`` calls; ``{"limit": null}`` makes it unlimited again.
- ``POST /_control/token`` ``{"revoked": true}``: the token gets 403, as after a reset on
  Toggl's website; ``{"revoked": false}`` restores it; ``{"token": "new"}`` sets another.
- ``POST /_control/references`` ``{"serve": false}``: task answers lose
  ``external_reference``, as an old or odd server's might.
- ``POST /_control/projects`` ``{"count": 500, "prefix": "Bulk"}``: more projects.
- ``POST /_control/tasks`` ``{"count": 200, "project_id": 2001, "prefix": "Task"}``: more
  tasks in a project (Website Redesign by default), every third one done.
- ``POST /_control/reset``: no rules, no delay, no quota, the token and references back.
- ``GET /_control/requests?method=POST&path_contains=/tasks``: the API request log (method,
  path, query, body) and its ``count``; ``DELETE /_control/requests`` forgets it.

For example::

    curl -s 127.0.0.1:8765/_control/fail -d '{"status": 503, "count": 3}'
    curl -s 127.0.0.1:8765/_control/quota -d '{"limit": 30, "remaining": 0, "resets_in": 60}'
"""

from tests.fake_toggl.fake import FakeToggl
from tests.fake_toggl.faults import DropWhen
from tests.fake_toggl.wire import API_PREFIX, CONTROL_PREFIX, RecordedRequest

__all__ = ["API_PREFIX", "CONTROL_PREFIX", "DropWhen", "FakeToggl", "RecordedRequest"]
