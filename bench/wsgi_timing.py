"""Server time of one request: through Django's WSGI handler, as a server would call it.

Not through Client.get: in a test run the test client copies the context of every template it renders
(for resp.context), which costs more than some pages and is no server time.
"""

from __future__ import annotations

from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client

_handler = WSGIHandler()


def serve(client: Client, path: str, query: str = "", **headers) -> tuple[int, bytes]:
    """One GET through the WSGI handler with the client's session cookie: (status, body)."""
    environ = client._base_environ(PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD="GET", **headers)
    status = []
    # As Django's test ClientHandler does: the benchmark's connection holds the test transaction,
    # so the end-of-request connection recycling is switched off around the call.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = _handler(environ, lambda s, h: status.append(int(s.split()[0])))
        body = b"".join(response)
        response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return status[0], body
