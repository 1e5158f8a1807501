"""Where things are served: one place, read by the app, the start page and the guard."""

from fakeauth.core.operations import REST_PREFIX

GRAPHQL_PATH = "/graphql"
HEALTH_PATH = "/health"
CONTROL_PREFIX = "/__fakeauth"
# Under /graphql/, so that the IDE and its files stay out of the REST and control paths.
ASSETS_PATH = "/graphql/assets"

__all__ = [
    "ASSETS_PATH",
    "CONTROL_PREFIX",
    "GRAPHQL_PATH",
    "HEALTH_PATH",
    "REST_PREFIX",
]
