"""The `fakeauth` command.

Each command imports what it needs when it runs, so `fakeauth --version` and `fakeauth
wait` start without loading the server and its libraries.
"""

from __future__ import annotations

import gc
import json
import os
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from fakeauth._version import __version__
from fakeauth.core.config import (
    DEFAULT_ACCESS_SECRET,
    DEFAULT_ACCESS_TTL,
    DEFAULT_HOST,
    DEFAULT_MAX_NAMESPACES,
    DEFAULT_MAX_USERS,
    DEFAULT_PORT,
    DEFAULT_REFRESH_SECRET,
    DEFAULT_REFRESH_TTL,
)
from fakeauth.core.durations import format_duration

if TYPE_CHECKING:
    from fakeauth.core.fake import FakeAuth
    from fakeauth.core.tokens import TokenPair

F = TypeVar("F", bound=Callable[..., Any])


def _option(name: str, **kwargs: Any) -> Callable[[F], F]:
    """An option that is also read from FAKEAUTH_<NAME>."""
    env = "FAKEAUTH_" + name.lstrip("-").split("/")[0].replace("-", "_").upper()
    return click.option(name, envvar=env, show_envvar=True, **kwargs)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fakeauth")
def main() -> None:
    """A fake of the Platzi Fake Store API's JWT auth over GraphQL, for frontend tests."""


def _options(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """Several options as one decorator, in the order given."""

    def apply(command: F) -> F:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


# Shared by the commands that build tokens, so `token` and `decode` agree with `serve`.
USERS = _option(
    "--users",
    type=click.Path(dir_okay=False),
    default=None,
    show_default="the bundled fixtures/users.yaml",
    help="Users file (YAML).",
)
NOW = _option(
    "--now",
    default=None,
    show_default="the real time",
    help="Where the clock starts: ISO 8601 with a zone (2023-01-03T20:44:43Z) or Unix seconds.",
)
LIFETIMES = _options(
    _option(
        "--access-ttl",
        default=format_duration(DEFAULT_ACCESS_TTL),
        show_default=True,
        help="Access token lifetime: 20d, 10h, 15m, 90s, 1h30m or seconds.",
    ),
    _option(
        "--refresh-ttl",
        default=format_duration(DEFAULT_REFRESH_TTL),
        show_default=True,
        help="Refresh token lifetime.",
    ),
)
SECRETS = _options(
    _option(
        "--access-secret",
        default=DEFAULT_ACCESS_SECRET,
        show_default=True,
        help="HS256 secret of access tokens.",
    ),
    _option(
        "--refresh-secret",
        default=DEFAULT_REFRESH_SECRET,
        show_default=True,
        help="HS256 secret of refresh tokens.",
    ),
)


@main.command()
@_option("--host", default=DEFAULT_HOST, show_default=True, help="Interface to bind.")
@_option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port; 0 picks a free one.",
)
@USERS
@_option(
    "--catalog",
    type=click.Path(dir_okay=False),
    default=None,
    show_default="the bundled fixtures/catalog.yaml",
    help="Catalogue file (YAML): categories and products.",
)
@NOW
@_option(
    "--frozen",
    is_flag=True,
    default=False,
    show_default="off",
    help="Stand the clock still at --now.",
)
@LIFETIMES
@SECRETS
@_option(
    "--ready-file",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Once accepting connections, write the GraphQL URL to this file (atomically).",
)
@_option(
    "--no-control",
    is_flag=True,
    default=False,
    help="Turn off the control API under /__fakeauth/ (clock, users, faults, request log).",
)
@_option(
    "--latency",
    default="0",
    show_default=True,
    help="Delay every GraphQL and REST answer by this long (250ms, 2s), for loading states.",
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
@_option(
    "--log-requests",
    is_flag=True,
    default=False,
    show_default="off",
    help="Print one line per GraphQL or REST request on stderr: clock time, namespace,"
    " operation, user, outcome, and why it failed.",
)
@_option(
    "--control-closed",
    is_flag=True,
    default=False,
    help="On a non-loopback --host with neither --control-token nor --control-open, start"
    " anyway and answer the control API with 403 (the container image's default).",
)
@_option(
    "--max-users",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_USERS,
    show_default=True,
    help="The most users the fake holds; adding one more is refused.",
)
@_option(
    "--allowed-hosts",
    default=None,
    help="Host names to answer to besides loopback ones and --host, comma-separated"
    " (a container or CI service name; '*' for any).",
)
@_option(
    "--refresh-rotation",
    is_flag=True,
    default=False,
    show_default="off",
    help="Let each refresh token be exchanged once; a second use is refused (Invalid).",
)
@_option(
    "--max-namespaces",
    type=click.IntRange(min=0),
    metavar="N",
    default=DEFAULT_MAX_NAMESPACES,
    show_default=True,
    help="Namespaces (/ns/NAME/...) that may exist at once besides the default one.",
)
def serve(**options: Any) -> None:
    """Serve the fake API; print its GraphQL URL once it accepts connections."""
    # Start-up makes many long-lived objects and no garbage worth collecting:
    # pausing the collector until the server is up saves about a seventh of it.
    gc.disable()
    with _no_ca_bundle_loading():
        from fakeauth.serve import run
    from fakeauth.web.guard import exposure_warning, startup_problem

    ready_file = options.pop("ready_file")
    options["control"] = not options.pop("no_control")
    # The control guard answers 403 to a closed API by itself: only the refusal to start
    # is waived, so an image can start with no token and still never be open by accident.
    control_closed = options.pop("control_closed")
    fake = _fake(options)
    problem = None if control_closed else startup_problem(fake.config)
    if problem is not None:
        raise click.UsageError(problem)
    warning = exposure_warning(fake.config)
    if warning is not None:
        click.echo(warning, err=True)
    if ready_file is not None:
        _check_ready_file(Path(ready_file))
        # A file left by an earlier run must not announce this one too early.
        Path(ready_file).unlink(missing_ok=True)

    def ready(base: str) -> None:
        if ready_file is not None:
            _write_atomically(Path(ready_file), f"{base}/graphql\n")
        click.echo(f"fakeauth listening on {base}/graphql")
        sys.stdout.flush()

    try:
        run(fake, ready)
    except socket.gaierror as error:
        raise click.ClickException(
            f"cannot listen on {fake.config.host}: it is not an address or a name this machine"
            f" knows ({error.strerror}); give an IP address such as 127.0.0.1"
        ) from None
    except OSError as error:
        where = f"{fake.config.host}:{fake.config.port}"
        raise click.ClickException(
            f"cannot listen on {where}: {error.strerror or error}; stop what uses it,"
            " or pick another port (--port 0 picks a free one)"
        ) from None
    finally:
        if ready_file is not None:
            Path(ready_file).unlink(missing_ok=True)


def _check_ready_file(path: Path) -> None:
    if not path.parent.is_dir():
        raise click.UsageError(f"--ready-file {path}: the directory {path.parent} does not exist")
    if path.exists() and not path.is_file():
        raise click.UsageError(f"--ready-file {path}: exists and is not a regular file")


def _write_atomically(path: Path, text: str) -> None:
    # Readers see no file or the whole file, never a half-written one.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


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
    from fakeauth.core.catalog_file import CatalogFileError
    from fakeauth.core.config import Config
    from fakeauth.core.fake import FakeAuth
    from fakeauth.core.users_file import UsersFileError

    try:
        config = Config.build(**options)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    try:
        return FakeAuth(config)
    except (UsersFileError, CatalogFileError) as error:
        raise click.ClickException(str(error)) from None


@main.command()
@click.argument("url")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Seconds to wait before giving up.",
)
def wait(url: str, timeout: float) -> None:
    """Wait until the fakeauth at URL (its base or GraphQL URL) is healthy.

    Exits 0 as soon as it is; 1 with a message when TIMEOUT runs out.
    """
    from fakeauth.readiness import NotReady, wait_until_healthy

    try:
        health = wait_until_healthy(url, timeout)
    except NotReady as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"fakeauth is healthy at {health}")


@main.command()
@click.argument("email")
@USERS
@NOW
@LIFETIMES
@SECRETS
@click.option(
    "--only",
    type=click.Choice(["access", "refresh"]),
    default=None,
    help="Print just this token, bare, instead of the pair as JSON.",
)
def token(email: str, only: str | None, **options: Any) -> None:
    """Print the token pair the server would issue to EMAIL at --now, without a server.

    The same settings as `fakeauth serve` give the same tokens, byte for byte.
    """
    fake = _fake(options)
    if email not in fake.users:
        emails = ", ".join(u.email for u in fake.users)
        raise click.ClickException(f"no user with email {email!r} (the users are: {emails})")
    pair = fake.login(email)
    if only is not None:
        click.echo(pair.access_token if only == "access" else pair.refresh_token)
    else:
        click.echo(
            json.dumps({"access_token": pair.access_token, "refresh_token": pair.refresh_token})
        )


@main.command("storage-state")
@click.argument("email")
@click.option("--origin", required=True, help="The app's origin, such as http://127.0.0.1:5173.")
@click.option(
    "--local-storage",
    "local_storage",
    multiple=True,
    metavar="KEY=access_token|refresh_token",
    help="A localStorage key of the app and the token it holds; repeat for each key.",
)
@click.option(
    "--cookie",
    "cookies",
    multiple=True,
    metavar="NAME=access_token|refresh_token",
    help="A cookie of the app and the token it holds; repeat for each cookie.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write the JSON to this file instead of stdout.",
)
@click.option(
    "--url",
    default=None,
    help="Ask the fakeauth running at this URL for the tokens, by its clock and users,"
    " instead of minting them here from the options below.",
)
@click.option("--namespace", default=None, help="With --url: the namespace to ask.")
@_option("--control-token", default=None, help="With --url: the server's control token.")
@USERS
@NOW
@LIFETIMES
@SECRETS
@click.pass_context
def storage_state(
    ctx: click.Context,
    /,
    email: str,
    origin: str,
    local_storage: tuple[str, ...],
    cookies: tuple[str, ...],
    output: str | None,
    url: str | None,
    namespace: str | None,
    control_token: str | None,
    **options: Any,
) -> None:
    """Print Playwright's storageState JSON holding EMAIL's fresh tokens under the app's keys.

    A browser test started from it is logged in already. The tokens are those `fakeauth
    token` prints with the same settings, or, with --url, those the running server gives.
    """
    from fakeauth.storage_state import StorageStateError, pair_from_server, parse_assignments
    from fakeauth.storage_state import storage_state as build

    try:
        keys = parse_assignments(local_storage, "--local-storage")
        jar = parse_assignments(cookies, "--cookie")
        if url is None:
            if namespace is not None:
                raise click.UsageError("--namespace needs --url: a namespace is a server's")
            pair = _pair(email, options)
        else:
            _refuse_settings_with_url(ctx, options)
            pair = pair_from_server(url, email, namespace, control_token)
        text = json.dumps(build(pair, origin, keys, jar), indent=2) + "\n"
    except StorageStateError as error:
        raise click.ClickException(str(error)) from None
    if output is None:
        click.echo(text, nl=False)
    else:
        _write_atomically(Path(output), text)


def _refuse_settings_with_url(ctx: click.Context, options: dict[str, Any]) -> None:
    # The server's own settings make its tokens: a --now given here would be ignored.
    for name in options:
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE:
            flag = "--" + name.replace("_", "-")
            raise click.UsageError(
                f"{flag} and --url: the server at --url mints by its own settings"
            )


def _pair(email: str, options: dict[str, Any]) -> TokenPair:
    fake = _fake(options)
    if email not in fake.users:
        emails = ", ".join(u.email for u in fake.users)
        raise click.ClickException(f"no user with email {email!r} (the users are: {emails})")
    return fake.login(email)


@main.command()
@click.argument("token")
@_option(
    "--now",
    default=None,
    show_default="the real time",
    help="The instant the token is checked at: ISO 8601 with a zone or Unix seconds.",
)
@SECRETS
def decode(token: str, **options: Any) -> None:
    """Print a token's header and payload, and whether fakeauth accepts it at --now.

    Exits 0 when it is valid, 1 when it is not.
    """
    from fakeauth.core.token_report import NotAToken, report

    fake = _fake({**options, "frozen": True})  # one instant for the whole report
    try:
        lines, valid = report(fake.tokens, token)
    except NotAToken as error:
        raise click.ClickException(str(error)) from None
    for line in lines:
        click.echo(line)
    sys.exit(0 if valid else 1)


@main.command()
def schema() -> None:
    """Print the GraphQL schema (SDL), for code generators and mocks."""
    from fakeauth.gql.schema import schema

    click.echo(schema.as_str())


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
def check(path: str) -> None:
    """Check a users or catalogue file: a short summary, or the problem as `fakeauth serve`
    reports it. A file whose first key is `categories:` or `products:` is a catalogue."""
    if _is_catalog_file(path):
        _check_catalog(path)
        return
    from fakeauth.core.accounts import rule_problems
    from fakeauth.core.users import ROLES
    from fakeauth.core.users_file import UsersFileError, load_users

    try:
        users = load_users(path)
    except UsersFileError as error:
        raise click.ClickException(str(error)) from None
    counts = ", ".join(_count(sum(u.role == role for u in users), role) for role in ROLES)
    click.echo(f"{path}: OK, {_count(len(users), 'user')} ({counts})")
    # The file may hold values the API's own rules refuse (a seed user's password
    # of three letters, say): they load and log in, but are worth knowing about.
    for user in users:
        problems = rule_problems(user)
        if problems:
            click.echo(
                f"warning: user {user.id} ({user.email}): {'; '.join(problems)}"
                " (fine for logging in; addUser and updateUser would refuse such values)",
                err=True,
            )


def _is_catalog_file(path: str) -> bool:
    from fakeauth.core.catalog_file import is_catalog
    from fakeauth.core.data_files import UnreadableFile, read_data_file

    try:
        return is_catalog(read_data_file(Path(path)))
    except UnreadableFile:
        return False  # the users check reports it


def _check_catalog(path: str) -> None:
    from fakeauth.core.catalog_file import CatalogFileError, load_catalog

    try:
        seed = load_catalog(path)
    except CatalogFileError as error:
        raise click.ClickException(str(error)) from None
    counts = {category.id: 0 for category in seed.categories}
    for product in seed.products:
        counts[product.category.id] += 1
    shown = ", ".join(f"{c.name} {counts[c.id]}" for c in seed.categories)
    number = len(seed.categories)
    categories = "1 category" if number == 1 else f"{number} categories"
    products = _count(len(seed.products), "product")
    click.echo(f"{path}: OK, {categories}, {products}" + (f" ({shown})" if shown else ""))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
