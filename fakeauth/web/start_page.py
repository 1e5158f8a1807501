"""The start page at GET /: what a frontend developer needs at a glance.

The page is a packaged template with its own CSS and script, inlined so it is one
request and loads nothing from the internet. Its parts are filled in by ``_html``,
which escapes every value it is given: users, the users file and the request's Host
header all reach this page.

The page also acts: its script logs users in over GraphQL and, when the control API
is on, moves the clock, resets, adds faults and polls the request log. Buttons that
need the control API are left out of the page when it is off.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Sequence
from functools import cache
from html import escape
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from fakeauth._version import __version__
from fakeauth.core.clock import format_instant
from fakeauth.core.durations import format_duration
from fakeauth.core.fake import FakeAuth
from fakeauth.core.faults import ANY, NETWORK
from fakeauth.core.namespaces import DEFAULT_NAME, Namespaces
from fakeauth.core.operations import BY_FIELD, OPERATIONS, REST_PREFIX
from fakeauth.core.request_log import LoggedRequest
from fakeauth.core.users import User
from fakeauth.web.paths import CONTROL_PREFIX, GRAPHQL_PATH, HEALTH_PATH
from fakeauth.web.state import NAMESPACES, fake_of, namespace_of

MAX_REQUESTS_SHOWN = 20
# Offered by the page's fault form; the control API takes any code of this shape.
FAULT_ERRORS = ("UNAUTHENTICATED", "FORBIDDEN", "BAD_USER_INPUT", "INTERNAL_SERVER_ERROR", NETWORK)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_NAMESPACES_SHOWN = 50
_HERE = Path(__file__).parent


class Markup(str):
    """Text that is already HTML: ``_html`` puts it in as it is."""


def _html(template: str, **values: Any) -> Markup:
    """``template`` with ``$name`` filled in; values are escaped unless they are Markup."""
    shown = {k: v if isinstance(v, Markup) else escape(str(v)) for k, v in values.items()}
    return Markup(Template(template).substitute(shown))


NOTHING = Markup("")


def _join(parts: list[Markup]) -> Markup:
    return Markup("".join(parts))


@cache
def _page() -> Template:
    return Template((_HERE / "templates" / "start.html").read_text())


@cache
def _asset(name: str) -> Markup:
    return Markup((_HERE / "static" / name).read_text())


async def start_page(request: web.Request) -> web.Response:
    fake, name = fake_of(request), namespace_of(request)
    origin = f"{request.scheme}://{request.host}"
    # Inside a namespace every URL on the page, curl examples included, carries its prefix.
    base_url = origin if name == DEFAULT_NAME else f"{origin}/ns/{name}"
    namespaces: Namespaces = request.app[NAMESPACES]
    page = render_start_page(fake, base_url, list(namespaces), name)
    return web.Response(
        # A name sent as JSON may hold a lone surrogate, which UTF-8 cannot encode.
        body=_LONE_SURROGATE.sub("\ufffd", page).encode(),
        content_type="text/html",
        charset="utf-8",
        headers={"Cache-Control": "no-store"},
    )


def render_start_page(
    fake: FakeAuth,
    base_url: str,
    namespaces: list[tuple[str, FakeAuth]] | None = None,
    current: str = DEFAULT_NAME,
) -> str:
    users, control = list(fake.users), fake.config.control
    sections = [
        _endpoints(base_url, control),
        _clock(fake),
        _users(users),
    ]
    if control:
        sections.append(_faults())
    sections += [_catalog(fake), _rest(base_url)]
    origin = base_url.removesuffix(f"/ns/{current}")
    sections.append(_namespaces(origin, namespaces or [(DEFAULT_NAME, fake)], current))
    sections.append(_requests(fake.requests[-MAX_REQUESTS_SHOWN:][::-1], control))
    sections.append(_examples(base_url, users[0] if users else None))
    return _page().substitute(
        version=escape(__version__),
        # The script calls these paths on the page's own origin, so it needs the prefix only.
        base=escape(urlsplit(base_url).path.rstrip("/")),
        control="on" if control else "off",
        shown=MAX_REQUESTS_SHOWN,
        sections="\n".join(sections),
        style=_asset("start.css"),
        script=_asset("start.js"),
    )


def _endpoints(base_url: str, control: bool) -> Markup:
    graphql = base_url + GRAPHQL_PATH
    rest_paths = ", ".join(dict.fromkeys(op.path.lstrip("/").split("/:")[0] for op in OPERATIONS))
    rows = [
        (
            "GraphQL",
            _code_link(graphql),
            "POST (GET for queries); the same URL in a browser opens GraphiQL",
        ),
        (
            "GraphiQL",
            _html('<a href="$url">open the IDE</a>', url=graphql),
            "served from the package: works offline",
        ),
        ("REST", _html("<code>$url</code>", url=base_url + REST_PREFIX), rest_paths),
        ("Health", _code_link(base_url + HEALTH_PATH), "200 once the server is up"),
    ]
    if control:
        rows.append(
            (
                "Control",
                _code_link(f"{base_url}{CONTROL_PREFIX}/clock"),
                "for tests: move the clock, reset, add users, faults, the request log"
                f" (under {CONTROL_PREFIX}/; see the README)",
            )
        )
    body = _join(
        [
            _html(
                "<tr><th scope=row>$name</th><td>$value</td><td>$note</td></tr>",
                name=n,
                value=v,
                note=t,
            )
            for n, v, t in rows
        ]
    )
    return _html(
        '<section id="endpoints"><h2>Endpoints</h2><table>$body</table></section>', body=body
    )


def _clock(fake: FakeAuth) -> Markup:
    clock, config = fake.clock, fake.config
    state = "frozen" if clock.frozen else "running"
    start = "the real time" if config.now is None else format_instant(config.now)
    rows = [
        ("Now", _html('<code id="clock-now">$now</code>', now=format_instant(clock.timestamp()))),
        ("State", _html('<span id="clock-state" class="badge $s">$s</span>', s=state)),
        ("Started at", start + (" (frozen)" if config.frozen else "")),
        (
            "Access token lifetime",
            _html('<code id="access-ttl">$t</code>', t=format_duration(config.access_ttl)),
        ),
        (
            "Refresh token lifetime",
            _html('<code id="refresh-ttl">$t</code>', t=format_duration(config.refresh_ttl)),
        ),
    ]
    body = _join([_html("<tr><th scope=row>$n</th><td>$v</td></tr>", n=n, v=v) for n, v in rows])
    if config.control:
        moves = _CLOCK_CONTROLS
        if config.control_token is not None:
            # The page does not know the token: the developer who started fakeauth does.
            moves = Markup(_CONTROL_TOKEN + moves)
        follow = "The page follows the clock by itself."
    else:
        moves, follow = NOTHING, "Reload the page to see the clock move."
    return _html(
        '<section id="clock"><h2>Clock and tokens</h2><table>$body</table>$moves'
        "<p class=note>Tokens are valid while now &lt; exp by this clock, never the wall clock."
        " $follow</p></section>",
        body=body,
        moves=moves,
        follow=follow,
    )


_CONTROL_TOKEN = Markup(
    '<p class="actions"><label>Control token <input id="control-token" type=password'
    " autocomplete=off size=16></label> this server was started with --control-token:"
    " the page's buttons send it.</p>"
)
_CLOCK_CONTROLS = Markup(
    '<div class="actions" id="clock-actions">'
    '<button type=button data-advance="1h">+1 h</button>'
    '<button type=button data-advance="10h">+10 h</button>'
    '<button type=button data-advance="20d">+20 d</button>'
    '<button type=button id="freeze">Freeze</button>'
    '<button type=button id="unfreeze">Unfreeze</button></div>'
    '<form class="actions" id="advance-form"><label>Advance by'
    ' <input id="advance-by" name="by" placeholder="1h30m" required size=8></label>'
    "<button>Advance</button></form>"
    '<form class="actions" id="set-form"><label>Set to'
    ' <input id="set-now" name="now" placeholder="2023-01-23T20:44:43Z" required size=22>'
    "</label><button>Set</button></form>"
    '<output id="clock-message" class="message" aria-live="polite"></output>'
)


def _users(users: list[User]) -> Markup:
    rows = [
        _html(
            "<tr><td>$id</td><td><code>$email</code></td><td><code>$password</code></td>"
            "<td>$name</td><td>$role</td><td>$badge</td><td class=actions>"
            '<button type=button data-login="pair" data-email="$email" data-password="$password">'
            "Copy token pair</button>"
            '<button type=button data-login="ide" data-email="$email" data-password="$password">'
            "GraphiQL as this user</button></td></tr>",
            id=user.id,
            email=user.email,
            password=user.password,
            name=user.name,
            role=user.role,
            badge=Markup("<span class=badge>protected</span>" if user.protected else ""),
        )
        for user in users
    ]
    return _grid(
        "users",
        f"Users ({len(users)})",
        ("id", "email", "password", "name", "role", "", "tokens"),
        rows,
        empty="No users: add some with addUser or POST /api/v1/users.",
        note=Markup(
            "Protected users cannot be updated or deleted through the API, like the real"
            " service's seed users. The buttons log in with the <code>login</code> mutation"
            " (it shows in the request log and obeys faults); GraphiQL opens with the"
            " access token in its Authorization header."
        ),
        after=Markup(
            '<div id="tokens" hidden><label for="token-pair" id="token-label">Token pair'
            '</label><textarea id="token-pair" readonly rows=5 spellcheck=false></textarea></div>'
            '<output id="token-message" class="message" aria-live="polite"></output>'
        ),
    )


def _faults() -> Markup:
    operations = _join(
        [_html('<option value="$v">$v</option>', v=name) for name in sorted(BY_FIELD)]
    )
    errors = _join([_html('<option value="$v">$v</option>', v=code) for code in FAULT_ERRORS])
    return _html(
        '<section id="faults"><h2>Faults and reset</h2>'
        '<form id="fault-form" class="fields">'
        '<label>Operation <select id="fault-operation" name="operation">'
        '<option value="$any">any ($any)</option>$operations</select></label>'
        '<label>Error <select id="fault-error" name="error">$errors'
        '<option value="">none (delay only)</option></select></label>'
        '<label>Times <input id="fault-times" name="times" type=number min=1 value=1></label>'
        '<label>Delay (ms) <input id="fault-delay" name="delay_ms" type=number min=0 value=0>'
        "</label>"
        '<div class="actions"><button id="fault-add">Add fault</button>'
        '<button type=button id="faults-clear">Clear faults</button></div></form>'
        '<p>Pending: <span id="faults-list">none</span></p>'
        '<output id="fault-message" class="message" aria-live="polite"></output>'
        '<div class="actions"><button type=button id="reset" class="danger">Reset</button></div>'
        "<p class=note>A fault answers the next matching GraphQL or REST operations with"
        " the error (<code>network</code>: no answer at all; Chromium then sends the request"
        " again on each kept-alive connection it has, so give such a fault several times)."
        " Reset puts users, catalogue,"
        " clock, faults and the log back as they were at start.</p></section>",
        any=ANY,
        operations=operations,
        errors=errors,
    )


def _catalog(fake: FakeAuth) -> Markup:
    store = fake.catalog_store
    rows = [
        _html(
            "<tr><td>$id</td><td>$name</td><td><code>$slug</code></td><td>$count</td></tr>",
            id=category.id,
            name=category.name,
            slug=category.slug,
            count=store.count_in(category.id),
        )
        for category in store.categories()
    ]
    return _grid(
        "catalog",
        f"Catalogue ({len(store)} products)",
        ("id", "category", "slug", "products"),
        rows,
        empty="No categories: add some with addCategory.",
        note=Markup(
            "Query <code>products</code> and <code>categories</code> over GraphQL or REST;"
            " images are drawn by fakeauth itself under <code>/images/</code>."
        ),
    )


def _rest(base_url: str) -> Markup:
    rows = [
        _html(
            "<tr><td><code>$method</code></td><td><code>$path</code></td><td>$what</td></tr>",
            method=op.method,
            path=REST_PREFIX + op.path,
            what=op.label if op.status == 200 else f"{op.label} ({op.status})",
        )
        for op in OPERATIONS
    ]
    note = _html(
        "Same users, tokens and clock as GraphQL, at <code>$url</code>.",
        url=base_url + REST_PREFIX,
    )
    return _grid("rest", "REST endpoints", (), rows, note=note)


def _requests(entries: list[LoggedRequest], control: bool = False) -> Markup:
    rows = []
    for entry in entries:
        fields = ", ".join(entry.fields)
        what = entry.operation or fields or "-"
        if entry.operation and fields and entry.api == "graphql":
            what = f"{entry.operation} ({fields})"
        if entry.api == "rest":
            route = f"{entry.method} {entry.path}"
            what = f"{route} ({entry.operation})" if entry.operation else route
        rows.append(
            _html(
                '<tr><td><code>$time</code></td><td>$what</td><td>$user</td><td><span class="badge'
                ' $kind">$outcome</span></td><td>$reason</td></tr>',
                time=format_instant(entry.time.timestamp()),
                what=what,
                user="-" if entry.user is None else entry.user.email,
                kind="ok" if entry.outcome == "ok" else "error",
                outcome=entry.outcome,
                # The reason is being added to the log on another branch; until then, none.
                reason=getattr(entry, "reason", None) or "",
            )
        )
    follow = (
        Markup(
            'The table follows the log by itself. <button type=button id="log-clear">'
            "Clear the log</button>"
        )
        if control
        else Markup("Reload the page to see new requests (the control API is off).")
    )
    return _grid(
        "requests",
        f"Last requests (newest first, up to {MAX_REQUESTS_SHOWN})",
        ("clock time", "operation", "user", "outcome", "reason"),
        rows,
        empty="No requests yet.",
        note=follow,
        after=Markup('<output id="log-message" class="message" aria-live="polite"></output>')
        if control
        else NOTHING,
    )


def _examples(base_url: str, user: User | None) -> Markup:
    email, password = (user.email, user.password) if user else ("john@mail.com", "changeme")
    graphql = shlex.quote(base_url + GRAPHQL_PATH)
    rest = base_url + REST_PREFIX
    credentials = f"email: {json.dumps(email)}, password: {json.dumps(password)}"
    login_query = f"mutation {{ login({credentials}) {{ access_token refresh_token }} }}"
    pick = "python3 -c 'import json,sys; print(json.load(sys.stdin)"
    # curl prints an answer without a line break after it: each answer on its own line.
    nl = "-w '\\n'"
    examples = [
        (
            "Log in (GraphQL) and keep both tokens",
            f"TOKENS=$(curl -s {graphql} -H 'Content-Type: application/json' \\\n"
            f"  -d {shlex.quote(json.dumps({'query': login_query}))})\n"
            f'ACCESS=$(echo "$TOKENS" | {pick}["data"]["login"]["access_token"])\')\n'
            f'REFRESH=$(echo "$TOKENS" | {pick}["data"]["login"]["refresh_token"])\')',
        ),
        (
            "Read the profile (GraphQL)",
            f"curl -s {nl} {graphql} -H 'Content-Type: application/json' \\\n"
            '  -H "Authorization: Bearer $ACCESS" \\\n'
            """  -d '{"query":"{ myProfile { id email name role avatar } }"}'""",
        ),
        (
            "Refresh (GraphQL; no Authorization header needed)",
            f"curl -s {nl} {graphql} -H 'Content-Type: application/json' \\\n"
            """  -d '{"query":"mutation($t: String!) { refreshToken(refreshToken: $t)"""
            """ { access_token refresh_token } }","variables":{"t":"'"$REFRESH"'"}}'""",
        ),
        (
            "The same over REST",
            f"curl -s {nl} {shlex.quote(rest + '/auth/login')} \\\n"
            f"  -H 'Content-Type: application/json'"
            f" -d {shlex.quote(json.dumps({'email': email, 'password': password}))}\n"
            f"curl -s {nl} {shlex.quote(rest + '/auth/profile')}"
            ' -H "Authorization: Bearer $ACCESS"\n'
            f"curl -s {nl} {shlex.quote(rest + '/auth/refresh-token')} \\\n"
            """  -H 'Content-Type: application/json' -d '{"refreshToken":"'"$REFRESH"'"}'""",
        ),
    ]
    blocks = _join(
        [
            _html(
                '<figure><figcaption>$title<button type=button class=copy data-copy="example-$n">'
                'Copy</button></figcaption><pre id="example-$n">$text</pre></figure>',
                title=title,
                n=number,
                text=text,
            )
            for number, (title, text) in enumerate(examples, 1)
        ]
    )
    return _html('<section id="examples"><h2>Try it</h2>$blocks</section>', blocks=blocks)


def _grid(
    section: str,
    title: str,
    columns: Sequence[str],
    rows: list[Markup],
    empty: str = "",
    note: Markup | None = None,
    after: Markup = NOTHING,
) -> Markup:
    """A section that is one grid table: ``columns`` head it (no heading row if there are
    none), ``empty`` is the row shown when there are no ``rows``, ``note`` comes after,
    then ``after``."""
    head = _join([_html("<th>$name</th>", name=name) for name in columns])
    if not rows and empty:
        rows = [_html("<tr><td colspan=$n>$text</td></tr>", n=len(columns), text=empty)]
    return _html(
        '<section id="$section"><h2>$title</h2><table class=grid>$head<tbody>$rows</tbody>'
        "</table>$note$after</section>",
        section=section,
        title=title,
        head=_html("<thead><tr>$head</tr></thead>", head=head) if columns else NOTHING,
        rows=_join(rows),
        note=NOTHING if note is None else _html("<p class=note>$note</p>", note=note),
        after=after,
    )


def _code_link(url: str) -> Markup:
    return _html('<a href="$url"><code>$url</code></a>', url=url)


def _namespaces(origin: str, namespaces: list[tuple[str, FakeAuth]], current: str) -> Markup:
    rows = [
        _html(
            '<tr$mark><td><a href="$href"><code>$name</code></a></td><td>$users</td>'
            "<td><code>$now</code> $state</td><td>$requests</td></tr>",
            mark=Markup(' class="current"' if name == current else ""),
            href=f"{origin}/" if name == DEFAULT_NAME else f"{origin}/ns/{name}/",
            name=name,
            users=len(fake.store),
            now=format_instant(fake.clock.timestamp()),
            state="frozen" if fake.clock.frozen else "running",
            requests=len(fake.requests),
        )
        for name, fake in namespaces[:MAX_NAMESPACES_SHOWN]
    ]
    more = len(namespaces) - MAX_NAMESPACES_SHOWN
    if more > 0:
        rows.append(_html("<tr><td colspan=4>and $more more</td></tr>", more=more))
    return _html(
        '<section id="namespaces"><h2>Namespaces ($count)</h2><p>This page shows'
        ' <code id="namespace">$current</code>.</p><table class=grid><thead><tr><th>name</th>'
        "<th>users</th><th>clock</th><th>requests</th></tr></thead><tbody>$rows</tbody>"
        "</table><p class=note>Each namespace is a fake of its own: prefix any path with"
        " <code>/ns/{name}</code> or send <code>X-Fakeauth-Namespace: {name}</code>;"
        " it is created on first use.</p></section>",
        count=len(namespaces),
        current=current,
        rows=_join(rows),
    )
