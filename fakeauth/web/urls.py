"""Where the client reached this server: the one place that computes it."""

from __future__ import annotations

from aiohttp import web


def public_base(request: web.Request) -> str:
    """The scheme, host and port the client used (its Host header, so a container's port
    mapping and ``--port 0`` come out right); image paths are written out on it."""
    return f"{request.scheme}://{request.host}"
