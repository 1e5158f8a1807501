// The client against a real fakeauth: $FAKEAUTH_URL, else one started from
// $FAKEAUTH_COMMAND (default "fakeauth serve --host 127.0.0.1 --port 0").
// Each test works in a namespace of its own, and every answer the client receives is
// checked against the server's OpenAPI description of that route.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { FakeAuth, FakeAuthError, ROUTES, buildStorageState, startFakeAuth } from "fakeauth";
import { operationOf, problems, successSchema } from "./helpers/openapi.mjs";

const DOC_NOW = "2023-01-03T20:44:43Z";
const DOC_IAT = 1672778683;
// Header and payload of john's documented access token at that instant.
const DOC_ACCESS = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjEsImlhdCI6MTY3Mjc3ODY4MywiZXhwIjoxNjc0NTA2NjgzfQ";
const ANN = { email: "ann@mail.com", password: "secret1", name: "Ann", role: "customer", avatar: "https://example.com/ann.png" };

let server;
let root;
let description;
let checked = 0;

before(async () => {
  server = process.env.FAKEAUTH_URL ? { url: process.env.FAKEAUTH_URL, stop: async () => {} } : await startFakeAuth();
  root = new FakeAuth({ url: server.url });
  description = await root.openapi();
  // Every answer of every test is held to the description of its route.
  const call = FakeAuth.prototype.call;
  FakeAuth.prototype.call = async function (route, params, body) {
    const answer = await call.call(this, route, params, body);
    const schema = successSchema(operationOf(description, route));
    if (schema === null) assert.equal(answer, undefined);
    else assert.deepEqual(problems(answer, schema, description.components.schemas), [], `${route.method} ${route.path}`);
    checked += 1;
    return answer;
  };
});

after(async () => {
  await server?.stop();
});

let counter = 0;
async function namespace(settings = { now: DOC_NOW, frozen: true }) {
  const name = `node-${process.pid}-${(counter += 1)}`;
  await root.namespaces.create(name, settings);
  return root.inNamespace(name);
}

function payload(token) {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url"));
}

async function profile(fake, token) {
  return (await fake.graphql("{ myProfile { email } }", {}, token)).myProfile.email;
}

test("every client route is in the OpenAPI description, with its method and namespacing", () => {
  for (const [name, route] of Object.entries(ROUTES)) {
    const item = description.paths[`/__fakeauth${route.path}`];
    assert.ok(item?.[route.method.toLowerCase()], `${name}: ${route.method} ${route.path} is not described`);
    const header = (item.parameters ?? []).some((p) => p.in === "header" && p.name === "X-Fakeauth-Namespace");
    assert.equal(header, route.namespaced !== false, `${name}: namespaced`);
  }
  // And the client covers the whole control API.
  const called = new Set(Object.values(ROUTES).map((r) => `${r.method} /__fakeauth${r.path}`));
  for (const [path, item] of Object.entries(description.paths)) {
    for (const method of ["get", "put", "post", "delete"].filter((m) => m in item)) {
      assert.ok(called.has(`${method.toUpperCase()} ${path}`), `${method} ${path} has no client verb`);
    }
  }
});

test("url and graphqlUrl include the namespace's prefix", () => {
  const fake = new FakeAuth({ url: "http://127.0.0.1:3001/graphql", namespace: "w1" });
  assert.equal(fake.serverUrl, "http://127.0.0.1:3001");
  assert.equal(fake.url, "http://127.0.0.1:3001/ns/w1");
  assert.equal(fake.graphqlUrl, "http://127.0.0.1:3001/ns/w1/graphql");
  assert.equal(new FakeAuth({ url: "http://127.0.0.1:3001/" }).graphqlUrl, "http://127.0.0.1:3001/graphql");
  assert.throws(() => new FakeAuth({}), /give the server's URL/);
});

test("clock: get, set, advance, freeze, unfreeze", async () => {
  const fake = await namespace();
  assert.deepEqual(await fake.clock.get(), { now: "2023-01-03T20:44:43.000Z", timestamp: DOC_IAT, frozen: true });
  assert.equal((await fake.clock.advance("10h")).now, "2023-01-04T06:44:43.000Z");
  assert.equal((await fake.clock.advance(1)).timestamp, DOC_IAT + 36001);
  assert.equal((await fake.clock.set(new Date("2030-01-01T00:00:00Z"))).timestamp, 1893456000);
  assert.equal((await fake.clock.set(1672778683, { frozen: true })).now, "2023-01-03T20:44:43.000Z");
  assert.equal((await fake.clock.unfreeze()).frozen, false);
  const frozen = await fake.clock.freeze();
  assert.equal(frozen.frozen, true);
  assert.ok(frozen.timestamp >= DOC_IAT);
  // Only this namespace's clock moved.
  assert.notEqual((await root.clock.get()).timestamp, 1893456000);
});

test("users: list, get by id or email, add, remove, revoke", async () => {
  const fake = await namespace();
  assert.deepEqual((await fake.users.list()).map((u) => u.email), ["john@mail.com", "maria@mail.com", "admin@mail.com"]);
  assert.equal((await fake.users.get(1)).name, "Jhon");
  assert.equal((await fake.users.get("maria@mail.com")).id, 2);
  const ann = await fake.users.add(ANN);
  assert.equal(ann.id, 4);
  assert.equal(ann.creationAt, "2023-01-03T20:44:43.000Z");
  const { access_token } = await fake.login("ann@mail.com", "secret1");
  assert.equal(await profile(fake, access_token), "ann@mail.com");
  const revoked = await fake.users.revoke("ann@mail.com");
  assert.deepEqual(revoked, { id: 4, email: "ann@mail.com", revoked_until: "2023-01-03T20:44:43.000Z", timestamp: DOC_IAT });
  await assert.rejects(profile(fake, access_token), { name: "FakeAuthError", message: "Unauthorized", code: "UNAUTHENTICATED" });
  await fake.users.remove(4);
  assert.equal((await fake.users.list()).length, 3);
});

test("login: minted without a password, the real mutation with one", async () => {
  const fake = await namespace();
  const minted = await fake.login("john@mail.com");
  assert.equal(minted.access_token.slice(0, DOC_ACCESS.length), DOC_ACCESS);
  assert.deepEqual(await fake.login(1), minted);
  assert.deepEqual(await fake.requests(), [], "minting is no request of the app's");
  assert.deepEqual(await fake.login("john@mail.com", "changeme"), minted);
  assert.deepEqual((await fake.requests()).map((r) => [r.operation, r.variables.password]), [["Login", "***"]]);
  await assert.rejects(fake.login("john@mail.com", "wrong"), (error) => {
    assert.ok(error instanceof FakeAuthError);
    assert.equal(error.message, "Unauthorized");
    assert.equal(error.status, 200);
    assert.equal(error.code, "UNAUTHENTICATED");
    assert.match(error.request, /^POST \/ns\/node-\d+-\d+\/graphql$/);
    return true;
  });
});

test("fail: an error with a message, a delay, a number of times", async () => {
  const fake = await namespace();
  const fault = await fake.fail({ operation: "login", error: "INTERNAL_SERVER_ERROR", times: 2, message: "down for a moment" });
  assert.deepEqual(fault, { operation: "login", error: "INTERNAL_SERVER_ERROR", delay_ms: 0, times: 2, message: "down for a moment" });
  for (const _ of [1, 2]) {
    await assert.rejects(fake.login("john@mail.com", "changeme"), { message: "down for a moment", code: "INTERNAL_SERVER_ERROR" });
  }
  assert.ok(await fake.login("john@mail.com", "changeme"));
  await fake.fail({ operation: "myProfile", delayMs: 300 });
  assert.deepEqual((await fake.faults()).map((f) => f.delay_ms), [300]);
  const { access_token } = await fake.login(1);
  const started = performance.now();
  assert.equal(await profile(fake, access_token), "john@mail.com");
  assert.ok(performance.now() - started >= 290, "the answer waited");
  await fake.fail({ error: "network" });
  await assert.rejects(profile(fake, access_token), (error) => error instanceof FakeAuthError && error.status === 0);
  await assert.rejects(fake.fail({ operation: "login" }), { status: 400, message: "a fault needs an error, a delay, or both" });
  await fake.fail({ operation: "login", error: "BAD_REQUEST" });
  await fake.clearFaults();
  assert.deepEqual(await fake.faults(), []);
});

test("requests and clearRequests: the namespace's own log", async () => {
  const fake = await namespace();
  const other = await namespace();
  const { access_token } = await fake.login("john@mail.com", "changeme");
  await profile(fake, access_token);
  const log = await fake.requests();
  assert.deepEqual(log.map((r) => [r.fields[0], r.path, r.user?.email ?? null]), [
    ["login", "/graphql", null],
    ["myProfile", "/graphql", "john@mail.com"],
  ]);
  assert.deepEqual(await other.requests(), []);
  await fake.clearRequests();
  assert.deepEqual(await fake.requests(), []);
});

test("reset: users as loaded, the clock at its start, no faults, an empty log", async () => {
  const fake = await namespace();
  await fake.users.add(ANN);
  await fake.clock.advance("1d");
  await fake.fail({ operation: "login", error: "BAD_REQUEST" });
  await assert.rejects(fake.login("john@mail.com", "changeme"), { code: "BAD_REQUEST" });
  await fake.reset();
  assert.equal((await fake.users.list()).length, 3);
  assert.equal((await fake.clock.get()).timestamp, DOC_IAT);
  assert.deepEqual(await fake.faults(), []);
  assert.deepEqual(await fake.requests(), []);
});

test("namespaces: create with settings, list, replace, delete", async () => {
  const name = `node-ns-${process.pid}`;
  const created = await root.namespaces.create(name, { now: new Date(DOC_IAT * 1000), frozen: true, access_ttl: "15m" });
  assert.deepEqual([created.name, created.prefix, created.access_ttl, created.clock.timestamp], [name, `/ns/${name}`, "15m", DOC_IAT]);
  assert.ok((await root.namespaces.list()).some((ns) => ns.name === name));
  const fake = root.inNamespace(name);
  assert.equal(payload((await fake.login(1)).access_token).exp, DOC_IAT + 900);
  await fake.users.add(ANN);
  assert.equal((await root.namespaces.create(name, { users: [ANN] })).users, 1, "replaced afresh");
  await root.namespaces.delete(name);
  await root.namespaces.delete(name); // no error when there is none
  assert.ok(!(await root.namespaces.list()).some((ns) => ns.name === name));
});

test("catalog: get and set, in the client's namespace", async () => {
  const fake = await namespace();
  const whole = await fake.catalog.get();
  assert.ok(whole.products.length > 0);
  const category = { id: 1, name: "Things", image: "/images/categories/1.svg" };
  const replaced = await fake.catalog.set({ categories: [category], products: [] });
  assert.deepEqual([replaced.categories.length, replaced.products.length], [1, 0]);
  assert.equal((await fake.catalog.get()).products.length, 0);
  assert.equal((await root.catalog.get()).products.length, whole.products.length, "other namespaces keep theirs");
});

test("storageState: the user's fresh tokens under the app's keys and cookies", async () => {
  const fake = await namespace();
  const state = await fake.storageState({
    user: "maria@mail.com",
    origin: "http://127.0.0.1:5173/",
    localStorage: { token: "access_token", refresh: "refresh_token" },
    cookies: { rt: "refresh_token" },
  });
  const [origin] = state.origins;
  assert.equal(origin.origin, "http://127.0.0.1:5173");
  assert.deepEqual(origin.localStorage.map((item) => item.name), ["token", "refresh"]);
  assert.equal(await profile(fake, origin.localStorage[0].value), "maria@mail.com");
  const [cookie] = state.cookies;
  assert.deepEqual(cookie, {
    name: "rt",
    value: origin.localStorage[1].value,
    domain: "127.0.0.1",
    path: "/",
    expires: DOC_IAT + 36000,
    httpOnly: false,
    secure: false,
    sameSite: "Lax",
  });
  await assert.rejects(fake.storageState({ user: 1, origin: "127.0.0.1:5173", localStorage: { t: "access_token" } }), /give the app's origin/);
  await assert.rejects(fake.storageState({ user: 1, origin: "http://a.example", localStorage: { t: "id_token" } }), /is no token/);
  assert.throws(() => buildStorageState({ access_token: "a", refresh_token: "r" }, "http://a.example", {}), /at least one/);
  // Only the profile query above reached the API: no login.
  assert.deepEqual((await fake.requests()).map((r) => r.fields), [["myProfile"]]);
});

test("errors from the control API are FakeAuthErrors with the status and the message", async () => {
  const fake = await namespace();
  const cases = [
    [() => fake.users.get(99), 404, "no user with id 99", /^GET \/ns\/node-\d+-\d+\/__fakeauth\/users\/99$/],
    [() => fake.users.get("nobody@mail.com"), 404, 'no user with email "nobody@mail.com"', /__fakeauth\/users$/],
    [() => fake.users.add({ ...ANN, email: "john@mail.com" }), 409, "john@mail.com", /^POST /],
    [() => fake.users.add({ email: "x" }), 400, "", /^POST /],
    [() => fake.clock.set("yesterday"), 400, "not an instant", /^PUT /],
    [() => fake.clock.advance(-5), 400, "only moves forward", /advance$/],
    [() => fake.login("nobody@mail.com"), 404, "no user with email 'nobody@mail.com'", /tokens$/],
    [() => fake.fail({ times: "x" }), 400, "times", /faults$/],
    [() => root.namespaces.create("default"), 409, "default", /^PUT \/__fakeauth\/namespaces\/default$/],
    [() => root.namespaces.create("a b"), 400, "", /namespaces\/a%20b$/],
  ];
  for (const [call, status, text, request] of cases) {
    await assert.rejects(call(), (error) => {
      assert.ok(error instanceof FakeAuthError, String(error));
      assert.equal(error.status, status, error.message);
      assert.ok(error.message.includes(text), error.message);
      assert.match(error.request, request);
      return true;
    });
  }
});

test("a server that is not there is a FakeAuthError with status 0", async () => {
  const gone = await startFakeAuth();
  await gone.stop();
  const fake = new FakeAuth({ url: gone.url });
  await assert.rejects(fake.clock.get(), (error) => {
    assert.equal(error.status, 0);
    assert.match(error.message, /^cannot reach fakeauth at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): is it running\?$/);
    return true;
  });
});

test("controlToken: sent on every control request of a server that wants one", async () => {
  const guarded = await startFakeAuth({ args: ["--control-token", "s3cret"] });
  try {
    await assert.rejects(new FakeAuth({ url: guarded.url }).clock.get(), { status: 401, message: /X-Fakeauth-Control-Token/ });
    const fake = new FakeAuth({ url: guarded.url, controlToken: "s3cret" });
    assert.equal((await fake.clock.get()).frozen, false);
    await fake.namespaces.create("w1");
    assert.equal((await fake.inNamespace("w1").users.list()).length, 3);
  } finally {
    await guarded.stop();
  }
});

test("startFakeAuth: a command that does not serve is an error with its stderr", async () => {
  await assert.rejects(startFakeAuth({ args: ["--now", "soon"] }), /exited \(code 2\) before listening[\s\S]*soon/);
  await assert.rejects(startFakeAuth({ command: "no-such-fakeauth-command" }), /cannot start it .*ENOENT.*FAKEAUTH_COMMAND/);
});

test("startFakeAuth: stop() ends the process by its pid", async () => {
  const running = await startFakeAuth();
  assert.equal((await new FakeAuth({ url: running.url }).clock.get()).frozen, false);
  await running.stop();
  assert.throws(() => process.kill(running.pid, 0), { code: "ESRCH" });
  await running.stop(); // stopping twice is no error
});

test("every answer above was checked against the description", () => {
  assert.ok(checked > 50, `${checked} answers checked`);
});
