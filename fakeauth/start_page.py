"""The start page at GET /: what a frontend developer needs at a glance.

Plain HTML with inline CSS and a few lines of inline script for the copy
buttons: nothing is loaded from the internet. Everything that comes from users,
the users file or the request (the Host header) is escaped.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable
from html import escape
from typing import Any

from aiohttp import web

from fakeauth import __version__
from fakeauth.clock import format_instant
from fakeauth.durations import format_duration
from fakeauth.rest import PREFIX
from fakeauth.service import FakeAuth
from fakeauth.users import User

MAX_REQUESTS_SHOWN = 20


class StartPage:
    """Answers GET / for one FakeAuth."""

    def __init__(self, fake: FakeAuth) -> None:
        self.fake = fake

    async def handle(self, request: web.Request) -> web.Response:
        base_url = f"{request.scheme}://{request.host}"
        return web.Response(
            text=render_start_page(self.fake, base_url),
            content_type="text/html",
            headers={"Cache-Control": "no-store"},
        )


def render_start_page(fake: FakeAuth, base_url: str) -> str:
    users = sorted(fake.users, key=lambda user: user.id)
    sections = [
        _endpoints(base_url, fake.config.control),
        _clock(fake),
        _users(users),
        _rest(base_url),
        _examples(base_url, users[0] if users else None),
    ]
    log = _request_log(fake)
    if log is not None:
        sections.insert(4, _requests(log))
    return _PAGE.format(
        version=escape(__version__),
        sections="\n".join(sections),
        script=_COPY_SCRIPT,
        style=_STYLE,
    )


def _endpoints(base_url: str, control: bool) -> str:
    graphql = f"{base_url}/graphql"
    rest = f"{base_url}{PREFIX}"
    rows = [
        (
            "GraphQL",
            _code_link(graphql),
            "POST (GET for queries); the same URL in a browser opens GraphiQL",
        ),
        ("GraphiQL", _link(graphql, "open the IDE"), "served from the package: works offline"),
        ("REST", _code(rest), "auth/login, auth/profile, auth/refresh-token, users"),
        ("Health", _code_link(f"{base_url}/health"), "200 once the server is up"),
    ]
    if control:
        rows.append(
            (
                "Control",
                _code_link(f"{base_url}/__fakeauth/clock"),
                "for tests: move the clock, reset, add users, faults, the request log"
                " (under /__fakeauth/; see the README)",
            )
        )
    body = "".join(
        f"<tr><th scope=row>{name}</th><td>{value}</td><td>{escape(note)}</td></tr>"
        for name, value, note in rows
    )
    return f'<section id="endpoints"><h2>Endpoints</h2><table>{body}</table></section>'


def _clock(fake: FakeAuth) -> str:
    clock, config = fake.clock, fake.config
    state = "frozen" if clock.frozen else "running"
    start = "the real time" if config.now is None else format_instant(config.now)
    rows = [
        ("Now", f'<code id="clock-now">{escape(format_instant(clock.timestamp()))}</code>'),
        ("State", f'<span id="clock-state" class="badge {state}">{state}</span>'),
        ("Started at", escape(start) + (" (frozen)" if config.frozen else "")),
        (
            "Access token lifetime",
            f'<code id="access-ttl">{format_duration(config.access_ttl)}</code>',
        ),
        (
            "Refresh token lifetime",
            f'<code id="refresh-ttl">{format_duration(config.refresh_ttl)}</code>',
        ),
    ]
    body = "".join(f"<tr><th scope=row>{name}</th><td>{value}</td></tr>" for name, value in rows)
    return (
        '<section id="clock"><h2>Clock and tokens</h2>'
        f"<table>{body}</table>"
        "<p class=note>Tokens are valid while now &lt; exp by this clock, never the wall clock."
        " Reload the page to see the clock move.</p></section>"
    )


def _users(users: list[User]) -> str:
    head = "<tr><th>id</th><th>email</th><th>password</th><th>name</th><th>role</th><th></th></tr>"
    rows = "".join(
        "<tr>"
        f"<td>{user.id}</td>"
        f"<td><code>{escape(user.email)}</code></td>"
        f"<td><code>{escape(user.password)}</code></td>"
        f"<td>{escape(user.name)}</td>"
        f"<td>{escape(user.role)}</td>"
        f"<td>{'<span class=badge>protected</span>' if user.protected else ''}</td>"
        "</tr>"
        for user in users
    )
    if not users:
        rows = "<tr><td colspan=6>No users: add some with addUser or POST /api/v1/users.</td></tr>"
    return (
        f'<section id="users"><h2>Users ({len(users)})</h2>'
        f"<table class=grid><thead>{head}</thead><tbody>{rows}</tbody></table>"
        "<p class=note>Protected users cannot be updated or deleted through the API,"
        " like the real service's seed users.</p></section>"
    )


REST_ENDPOINTS = (
    ("POST", "/auth/login", "{email, password} → 201 tokens"),
    ("GET", "/auth/profile", "bearer token → the user"),
    ("POST", "/auth/refresh-token", "{refreshToken} → 201 new tokens"),
    ("GET", "/users?limit=", "the users"),
    ("GET", "/users/:id", "one user, 404 if unknown"),
    ("POST", "/users", "create → 201 the user"),
    ("PUT", "/users/:id", "update → the user"),
    ("DELETE", "/users/:id", "→ true"),
    ("POST", "/users/is-available", "{email} → 201 {isAvailable}"),
)


def _rest(base_url: str) -> str:
    rows = "".join(
        f"<tr><td><code>{method}</code></td><td><code>{escape(PREFIX + path)}</code></td>"
        f"<td>{escape(what)}</td></tr>"
        for method, path, what in REST_ENDPOINTS
    )
    return (
        '<section id="rest"><h2>REST endpoints</h2>'
        f"<table class=grid><tbody>{rows}</tbody></table>"
        f"<p class=note>Same users, tokens and clock as GraphQL, at {_code(base_url + PREFIX)}."
        "</p></section>"
    )


def _request_log(fake: FakeAuth) -> list[dict[str, Any]] | None:
    # The request log belongs to the control API; a fake without it shows no section.
    log = getattr(fake, "requests", None)
    entries = getattr(log, "entries", None)
    if not callable(entries):
        return None
    shown: list[dict[str, Any]] = [entry.to_json() for entry in entries()]
    return shown[-MAX_REQUESTS_SHOWN:][::-1]


def _requests(entries: Iterable[dict[str, Any]]) -> str:
    rows = []
    for entry in entries:
        fields = ", ".join(entry.get("fields") or [])
        operation = entry.get("operation") or ""
        what = f"{operation} ({fields})" if operation and fields else operation or fields or "-"
        if entry.get("api") == "rest":
            route = f"{entry.get('method')} {entry.get('path')}"
            what = f"{route} ({operation})" if operation else route
        user = entry.get("user") or {}
        outcome = str(entry.get("outcome", ""))
        rows.append(
            "<tr>"
            f"<td><code>{escape(str(entry.get('time', '')))}</code></td>"
            f"<td>{escape(what)}</td>"
            f"<td>{escape(str(user.get('email', '-')))}</td>"
            f'<td><span class="badge {"ok" if outcome == "ok" else "error"}">'
            f"{escape(outcome)}</span></td>"
            "</tr>"
        )
    body = "".join(rows) or "<tr><td colspan=4>No requests yet.</td></tr>"
    return (
        f'<section id="requests"><h2>Last requests (newest first, up to {MAX_REQUESTS_SHOWN})</h2>'
        "<table class=grid><thead><tr><th>clock time</th><th>operation</th><th>user</th>"
        f"<th>outcome</th></tr></thead><tbody>{body}</tbody></table></section>"
    )


def _examples(base_url: str, user: User | None) -> str:
    email, password = (user.email, user.password) if user else ("john@mail.com", "changeme")
    graphql = shlex.quote(f"{base_url}/graphql")
    rest = f"{base_url}{PREFIX}"
    credentials = f"email: {json.dumps(email)}, password: {json.dumps(password)}"
    login_query = f"mutation {{ login({credentials}) {{ access_token refresh_token }} }}"
    pick = "python3 -c 'import json,sys; print(json.load(sys.stdin)"
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
            f"curl -s {graphql} -H 'Content-Type: application/json' \\\n"
            '  -H "Authorization: Bearer $ACCESS" \\\n'
            """  -d '{"query":"{ myProfile { id email name role avatar } }"}'""",
        ),
        (
            "Refresh (GraphQL; no Authorization header needed)",
            f"curl -s {graphql} -H 'Content-Type: application/json' \\\n"
            """  -d '{"query":"mutation($t: String!) { refreshToken(refreshToken: $t)"""
            """ { access_token refresh_token } }","variables":{"t":"'"$REFRESH"'"}}'""",
        ),
        (
            "The same over REST",
            f"curl -s {shlex.quote(rest + '/auth/login')} -H 'Content-Type: application/json' \\\n"
            f"  -d {shlex.quote(json.dumps({'email': email, 'password': password}))}\n"
            f'curl -s {shlex.quote(rest + "/auth/profile")} -H "Authorization: Bearer $ACCESS"\n'
            f"curl -s {shlex.quote(rest + '/auth/refresh-token')}"
            " -H 'Content-Type: application/json' \\\n"
            """  -d '{"refreshToken":"'"$REFRESH"'"}'""",
        ),
    ]
    blocks = "".join(
        f"<figure><figcaption>{escape(title)}"
        f'<button type=button class=copy data-copy="example-{number}">Copy</button></figcaption>'
        f'<pre id="example-{number}">{escape(text)}</pre></figure>'
        for number, (title, text) in enumerate(examples, 1)
    )
    return f'<section id="examples"><h2>Try it</h2>{blocks}</section>'


def _code(text: str) -> str:
    return f"<code>{escape(text)}</code>"


def _code_link(url: str) -> str:
    return f'<a href="{escape(url)}"><code>{escape(url)}</code></a>'


def _link(url: str, label: str) -> str:
    return f'<a href="{escape(url)}">{escape(label)}</a>'


_STYLE = """
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #dde2ea;
  --accent: #0b63ce; --ok: #137333; --bad: #b3261e; --bg: #f6f8fb; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--bg); }
header { background: #16202e; color: #fff; padding: 1.2rem 2rem; }
header h1 { margin: 0; font-size: 1.6rem; }
header p { margin: .2rem 0 0; color: #c5cedc; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(30rem, 1fr));
  gap: 1.2rem; padding: 1.5rem 2rem; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 1rem 1.2rem; min-width: 0; }
section#examples, section#requests { grid-column: 1 / -1; }
h2 { margin: 0 0 .6rem; font-size: 1.1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th[scope=row] { white-space: nowrap; color: var(--muted); font-weight: 600; }
table.grid thead th { background: var(--bg); }
code, pre { font: 13px/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
a { color: var(--accent); }
.note { color: var(--muted); font-size: .9rem; margin: .6rem 0 0; }
.badge { display: inline-block; padding: 0 .5rem; border-radius: 999px; font-size: .8rem;
  background: #e8eef8; color: #27405f; }
.badge.frozen { background: #e3f0ff; color: #0b4a8f; }
.badge.running { background: #e6f4ea; color: var(--ok); }
.badge.ok { background: #e6f4ea; color: var(--ok); }
.badge.error { background: #fce8e6; color: var(--bad); }
figure { margin: 0 0 1rem; }
figcaption { display: flex; justify-content: space-between; align-items: center;
  font-weight: 600; margin-bottom: .3rem; }
pre { margin: 0; padding: .7rem .9rem; background: #0f1722; color: #e6edf3;
  border-radius: 6px; overflow-x: auto; white-space: pre; }
button.copy { font: inherit; font-size: .8rem; padding: .1rem .7rem; cursor: pointer;
  border: 1px solid var(--line); border-radius: 4px; background: #fff; }
"""

# Copies an example's text; falls back to selecting it where the clipboard is not allowed.
_COPY_SCRIPT = """
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const pre = document.getElementById(button.dataset.copy);
  try {
    await navigator.clipboard.writeText(pre.textContent);
    button.textContent = "Copied";
  } catch {
    getSelection().selectAllChildren(pre);
    button.textContent = "Selected: press Ctrl+C";
  }
  setTimeout(() => { button.textContent = "Copy"; }, 2000);
});
"""

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fakeauth</title>
<link rel="icon" href="data:,">
<style>{style}</style>
</head>
<body>
<header>
<h1>fakeauth <small>{version}</small></h1>
<p>A fake of the Platzi Fake Store API's JWT auth, for tests.
For testing only: public secrets, plain-text passwords.</p>
</header>
<main>
{sections}
</main>
<script>{script}</script>
</body>
</html>
"""
