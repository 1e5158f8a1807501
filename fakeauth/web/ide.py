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


@cache
def graphiql_html() -> str:
    scripts = "\n".join(f'<script src="{ASSETS_PATH}/graphiql/{name}"></script>' for name in ASSETS)
    return _PAGE.format(
        css=f"{ASSETS_PATH}/graphiql/graphiql.min.css",
        scripts=scripts,
        query=json.dumps(DEFAULT_QUERY),
        headers=json.dumps(DEFAULT_HEADERS),
    )


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>fakeauth · GraphiQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{css}">
<style>html, body, #graphiql {{ height: 100%; margin: 0; }}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL from fakeauth (no network needed)...</div>
{scripts}
<script>
  // The page is served at the GraphQL URL itself, under a namespace's prefix or not.
  const fetcher = GraphiQL.createFetcher({{ url: location.origin + location.pathname }});
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {{
      fetcher,
      defaultQuery: {query},
      defaultHeaders: {headers},
      defaultEditorToolsVisibility: "headers",
      shouldPersistHeaders: true,
    }}),
  );
</script>
</body>
</html>
"""
