"""GraphiQL at GET /graphql, from assets that ship in the package: no CDN, works offline."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from fakeauth.web.paths import ASSETS_PATH

STATIC_DIR = Path(__file__).parent / "static"
ASSETS = ("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js")

DEFAULT_QUERY = """\
# Run Login, put its access_token in the
# Headers tab below, then run MyProfile.
mutation Login {
  login(email: "john@mail.com", password: "changeme") {
    access_token
    refresh_token
  }
}

query MyProfile {
  myProfile { id email name role avatar }
}

query Users {
  users { id email password name role }
}
"""
DEFAULT_HEADERS = '{"Authorization": "Bearer <access_token from Login>"}'
# Opened "as a user" from the start page: a query that shows whose token it is.
PROFILE_QUERY = """\
# Runs as the user whose token is in the headers below.
query MyProfile {
  myProfile { id email name role avatar }
}
"""


@cache
def graphiql_html() -> str:
    scripts = "\n".join(f'<script src="{ASSETS_PATH}/graphiql/{name}"></script>' for name in ASSETS)
    return _PAGE.format(
        css=f"{ASSETS_PATH}/graphiql/graphiql.min.css",
        scripts=scripts,
        query=json.dumps(DEFAULT_QUERY),
        headers=json.dumps(DEFAULT_HEADERS),
        profile_query=json.dumps(PROFILE_QUERY),
    )


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>fakeauth · GraphiQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{css}">
<style>
  html, body {{ height: 100%; margin: 0; }}
  body {{ display: flex; flex-direction: column; }}
  #graphiql {{ flex: 1; min-height: 0; }}
  #bar {{ display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; align-items: center;
    padding: .35rem 1rem; background: #16202e; color: #c5cedc;
    font: 14px/1.4 system-ui, sans-serif; }}
  #bar a {{ color: #fff; }}
  #bar code {{ color: #fff; overflow-wrap: anywhere; }}
</style>
</head>
<body>
<nav id="bar"><a id="start-page">&larr; fakeauth start page</a>
<span id="as-user">Log in from the start page's user list to run queries as that user.</span></nav>
<div id="graphiql">Loading GraphiQL from fakeauth (no network needed)...</div>
{scripts}
<script>
  // The page is served at the GraphQL URL itself, under a namespace's prefix or not,
  // and the start page is that URL's parent.
  const here = location.origin + location.pathname;
  document.getElementById("start-page").href = here.replace(/graphql$/, "");
  // The start page's "GraphiQL as this user" logs in and comes here with #bearer=TOKEN:
  // a fragment, which the browser never sends, so the token reaches no server log.
  const given = new URLSearchParams(location.hash.slice(1));
  const bearer = given.get("bearer");
  const asUser = {{}};
  if (bearer) {{
    asUser.headers = JSON.stringify({{ Authorization: `Bearer ${{bearer}}` }}, null, 2);
    asUser.query = {profile_query};
    const note = document.getElementById("as-user");
    note.textContent = "Authorization header set for ";
    note.append(Object.assign(document.createElement("code"), {{
      textContent: given.get("user") || "the chosen user",
    }}));
    // Out of the address bar too, so a copied link or a bookmark does not carry it.
    history.replaceState(null, "", location.pathname + location.search);
  }}
  const fetcher = GraphiQL.createFetcher({{ url: here }});
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {{
      fetcher,
      defaultQuery: {query},
      defaultHeaders: {headers},
      defaultEditorToolsVisibility: "headers",
      shouldPersistHeaders: true,
      ...asUser,
    }}),
  );
</script>
</body>
</html>
"""
