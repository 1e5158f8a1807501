// Logs in to fakeauth with plain fetch, as a frontend without a GraphQL client would.
"use strict";

const LOGIN = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { access_token refresh_token }
}`;
const REFRESH = `mutation Refresh($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) { access_token refresh_token }
}`;
const PROFILE = "query Profile { myProfile { id name avatar } }";

function show(id, value) {
  document.getElementById(id).textContent = String(value);
}

async function graphql(url, query, variables, token) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}

async function data(url, query, variables, token) {
  const { status, body } = await graphql(url, query, variables, token);
  if (status !== 200 || body.errors) {
    throw new Error(`HTTP ${status}: ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data;
}

async function main() {
  const url = new URLSearchParams(location.search).get("graphql");
  show("page-origin", location.origin);
  if (!url) throw new Error("no ?graphql=<fakeauth GraphQL URL> in this page's address");
  show("graphql-url", url);

  const { login } = await data(url, LOGIN, { email: "john@mail.com", password: "changeme" });
  show("access-token", login.access_token);
  show("refresh-token", login.refresh_token);

  const { myProfile } = await data(url, PROFILE, {}, login.access_token);
  show("profile-id", myProfile.id);
  show("profile-name", myProfile.name);
  show("profile-avatar", myProfile.avatar);

  const { refreshToken } = await data(url, REFRESH, { refreshToken: login.refresh_token });
  show("new-access-token", refreshToken.access_token);
  show("new-refresh-token", refreshToken.refresh_token);
  const after = await data(url, PROFILE, {}, refreshToken.access_token);
  show("new-profile-name", after.myProfile.name);

  const bad = await graphql(url, PROFILE, {}, "not-a-token");
  show("bad-token-status", bad.status);
  const [error] = bad.body.errors ?? [{}];
  show("bad-token-message", error.message);
  show("bad-token-code", error.extensions?.code);
}

main().then(
  () => {
    document.body.dataset.state = "done";
  },
  (error) => {
    show("error", error.stack || error);
    document.body.dataset.state = "failed";
  },
);
