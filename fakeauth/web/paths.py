"""Where things are served: one place, read by the app, the start page and the guard."""

import re

from fakeauth.core.operations import REST_PREFIX

GRAPHQL_PATH = "/graphql"
HEALTH_PATH = "/health"
CONTROL_PREFIX = "/__fakeauth"
# Under /graphql/, so that the IDE and its files stay out of the REST and control paths.
ASSETS_PATH = "/graphql/assets"

_NAMESPACE_PREFIX = re.compile(r"/ns/[^/]+(?=/|$)")


def without_namespace(path: str) -> str:
    """The path with its /ns/{name} prefix, if any, taken off."""
    match = _NAMESPACE_PREFIX.match(path)
    return path[match.end() :] if match else path


def is_control_path(path: str) -> bool:
    """A path of the control API, in the default namespace or under an /ns/{name} prefix."""
    rest = without_namespace(path)
    return rest == CONTROL_PREFIX or rest.startswith(CONTROL_PREFIX + "/")


__all__ = [
    "ASSETS_PATH",
    "CONTROL_PREFIX",
    "GRAPHQL_PATH",
    "HEALTH_PATH",
    "REST_PREFIX",
    "is_control_path",
    "without_namespace",
]
