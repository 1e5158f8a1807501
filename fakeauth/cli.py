"""The `fakeauth` command."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from fakeauth import __version__
from fakeauth.config import (
    DEFAULT_ACCESS_SECRET,
    DEFAULT_ACCESS_TTL,
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_REFRESH_SECRET,
    DEFAULT_REFRESH_TTL,
)
from fakeauth.durations import format_duration

if TYPE_CHECKING:
    from fakeauth.service import FakeAuth

F = TypeVar("F", bound=Callable[..., Any])


def _option(name: str, **kwargs: Any) -> Callable[[F], F]:
    """An option that is also read from FAKEAUTH_<NAME>."""
    env = "FAKEAUTH_" + name.lstrip("-").split("/")[0].replace("-", "_").upper()
    return click.option(name, envvar=env, show_envvar=True, **kwargs)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fakeauth")
def main() -> None:
    """A fake of the Platzi Fake Store API's JWT auth over GraphQL, for frontend tests."""


@main.command()
@_option("--host", default=DEFAULT_HOST, show_default=True, help="Interface to bind.")
@_option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port; 0 picks a free one.",
)
@_option(
    "--users",
    type=click.Path(dir_okay=False),
    default=None,
    show_default="the bundled fixtures/users.yaml",
    help="Users file (YAML).",
)
@_option(
    "--now",
    default=None,
    show_default="the real time",
    help="Where the clock starts: ISO 8601 with a zone (2023-01-03T20:44:43Z) or Unix seconds.",
)
@_option(
    "--frozen",
    is_flag=True,
    default=False,
    show_default="off",
    help="Stand the clock still at --now.",
)
@_option(
    "--access-ttl",
    default=format_duration(DEFAULT_ACCESS_TTL),
    show_default=True,
    help="Access token lifetime: 20d, 10h, 15m, 90s, 1h30m or seconds.",
)
@_option(
    "--refresh-ttl",
    default=format_duration(DEFAULT_REFRESH_TTL),
    show_default=True,
    help="Refresh token lifetime.",
)
@_option(
    "--access-secret",
    default=DEFAULT_ACCESS_SECRET,
    show_default=True,
    help="HS256 secret of access tokens.",
)
@_option(
    "--refresh-secret",
    default=DEFAULT_REFRESH_SECRET,
    show_default=True,
    help="HS256 secret of refresh tokens.",
)
@_option(
    "--control-token",
    default=None,
    help="Require this token (header X-Fakeauth-Control-Token) on the control API.",
)
@_option(
    "--control-open",
    is_flag=True,
    default=False,
    help="Open the control API without a token on a non-loopback --host.",
)
def serve(**options: Any) -> None:
    """Serve the fake API; print its GraphQL URL once it accepts connections."""
    # Start-up makes many long-lived objects and no garbage worth collecting:
    # pausing the collector until the server is up saves about a seventh of it.
    gc.disable()
    with _no_ca_bundle_loading():
        from fakeauth.serve import run
    from fakeauth.control_guard import exposure_warning, startup_problem

    fake = _fake(options)
    problem = startup_problem(fake.config)
    if problem is not None:
        raise click.UsageError(problem)
    warning = exposure_warning(fake.config)
    if warning is not None:
        click.echo(warning, err=True)

    def ready(base: str) -> None:
        click.echo(f"fakeauth listening on {base}/graphql")
        sys.stdout.flush()

    try:
        run(fake, ready)
    except OSError as error:
        where = f"{fake.config.host}:{fake.config.port}"
        raise click.ClickException(f"cannot listen on {where}: {error.strerror or error}") from None


@contextmanager
def _no_ca_bundle_loading() -> Iterator[None]:
    """Skip loading the system CA bundle while aiohttp is imported.

    aiohttp builds two client TLS contexts at import time, and loading the CA
    bundle into them took about 100 ms here: a quarter of the server's start.
    The server makes no outgoing TLS connections; were one ever made from this
    process, it would fail verification rather than go unchecked.
    """
    import ssl

    original = ssl.SSLContext.set_default_verify_paths
    ssl.SSLContext.set_default_verify_paths = lambda self: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        ssl.SSLContext.set_default_verify_paths = original  # type: ignore[method-assign]


def _fake(options: dict[str, Any]) -> FakeAuth:
    from fakeauth.config import Config
    from fakeauth.service import FakeAuth
    from fakeauth.users import UsersFileError

    try:
        config = Config.build(**options)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    try:
        return FakeAuth(config)
    except UsersFileError as error:
        raise click.ClickException(str(error)) from None
