import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";

const FAKEAUTH = (process.env.FAKEAUTH_URL ?? "http://127.0.0.1:3001").replace(/\/+$/, "");

async function control(method, path, body) {
  const response = await fetch(`${FAKEAUTH}/__fakeauth${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path} answered ${response.status}`);
  return response.status === 204 ? null : response.json();
}

async function graphql(query, variables = {}, token = undefined) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${FAKEAUTH}/graphql`, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

const LOGIN = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { access_token refresh_token }
}`;
const PROFILE = "{ myProfile { email } }";

beforeEach(async () => {
  await control("POST", "/reset");
  await control("PUT", "/clock", { now: "2023-01-03T20:44:43Z", frozen: true });
});

test("an access token expires after 20 days", async () => {
  const { data } = await graphql(LOGIN, { email: "john@mail.com", password: "changeme" });
  await control("POST", "/clock/advance", { by: "20d" });
  const answer = await graphql(PROFILE, {}, data.login.access_token);
  assert.equal(answer.errors[0].message, "Unauthorized");
});

test("a user added by the test can log in", async () => {
  await control("POST", "/users", {
    email: "ann@mail.com",
    password: "secret1",
    name: "Ann",
    role: "customer",
    avatar: "https://example.com/ann.png",
  });
  const { data } = await graphql(LOGIN, { email: "ann@mail.com", password: "secret1" });
  const answer = await graphql(PROFILE, {}, data.login.access_token);
  assert.equal(answer.data.myProfile.email, "ann@mail.com");
});

test("the login form survives a server error and a dropped connection", async () => {
  await control("POST", "/faults", { operation: "login", error: "INTERNAL_SERVER_ERROR" });
  await control("POST", "/faults", { operation: "login", error: "network" });
  const failed = await graphql(LOGIN, { email: "john@mail.com", password: "changeme" });
  assert.equal(failed.errors[0].extensions.code, "INTERNAL_SERVER_ERROR");
  await assert.rejects(graphql(LOGIN, { email: "john@mail.com", password: "changeme" }));
  const log = await control("GET", "/requests");
  assert.deepEqual(
    log.map((entry) => [entry.operation, entry.outcome, entry.variables.password]),
    [
      ["Login", "INTERNAL_SERVER_ERROR", "***"],
      ["Login", "network", "***"],
    ],
  );
});
