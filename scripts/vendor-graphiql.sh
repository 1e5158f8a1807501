#!/usr/bin/env bash
# Refresh the GraphiQL assets that fakeauth serves at /graphql, so the IDE works offline.
# Needs node and npm (registry access); run from anywhere: scripts/vendor-graphiql.sh
set -euo pipefail
GRAPHIQL=3.8.3 REACT=18.2.0
dest="$(cd "$(dirname "$0")/.." && pwd)/fakeauth/web/static/graphiql"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null
for name in graphiql-$GRAPHIQL react-$REACT react-dom-$REACT; do
    mkdir "$name" && tar xzf "$name.tgz" -C "$name"
done
npm install --silent --no-audit --no-fund --no-save terser@5 csso-cli@4 >/dev/null
# graphiql's published "min" bundle is not minified: terser takes it from 3.5 MB to 1.5 MB.
npx terser "graphiql-$GRAPHIQL/package/graphiql.min.js" \
    --compress 'global_defs={"process.env.NODE_ENV":"production"}' --mangle \
    --comments '/@license|copyright|licen[sc]e|@preserve/i' -o "$dest/graphiql.min.js"
npx csso "graphiql-$GRAPHIQL/package/graphiql.min.css" -o "$dest/graphiql.min.css"
cp "react-$REACT/package/umd/react.production.min.js" "$dest/"
cp "react-dom-$REACT/package/umd/react-dom.production.min.js" "$dest/"
cp "graphiql-$GRAPHIQL/package/LICENSE" "$dest/LICENSE.graphiql"
cp "react-$REACT/package/LICENSE" "$dest/LICENSE.react"
cp "react-dom-$REACT/package/LICENSE" "$dest/LICENSE.react-dom"
du -sh "$dest"
