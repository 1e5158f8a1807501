"use strict";
// The start page's actions. Every path carries the page's namespace prefix (data-base) and
// goes to the page's own origin, which the control API's guard lets in. Without the control
// API (data-control="off") the page has no control buttons and nothing is polled.
const PAGE = document.body.dataset;
const BASE = PAGE.base;
const CONTROL = PAGE.control === "on";
const SHOWN = Number(PAGE.shown);
const POLL_MS = 2000;
const $ = (id) => document.getElementById(id);

// The operation name says in the request log that the page made the call.
const LOGIN = "mutation StartPageLogin($email: String!, $password: String!) {"
  + " login(email: $email, password: $password) { access_token refresh_token } }";

/** A JSON call to fakeauth; throws an Error that carries fakeauth's own message. */
async function call(method, path, body) {
  const init = { method, headers: {} };
  const token = $("control-token");
  if (token && token.value && path.startsWith("/__fakeauth")) {
    init.headers["X-Fakeauth-Control-Token"] = token.value;
  }
  if (body !== undefined) {
    // The control API and GraphQL both refuse bodies of any other type.
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(BASE + path, init);
  } catch {
    throw new Error(`${method} ${path}: no answer (fakeauth stopped, or a network fault)`);
  }
  const text = await response.text();
  let data = text;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: the text itself is the message.
  }
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${messageOf(data) || text}`);
  }
  return data;
}

function messageOf(data) {
  if (data && data.errors) return graphqlErrors(data.errors);
  if (data && data.message) return [].concat(data.message).join("; ");
  return "";
}

function graphqlErrors(errors) {
  return errors.map((e) => {
    const code = e.extensions && e.extensions.code;
    return code ? `${e.message} (${code})` : e.message;
  }).join("; ");
}

function say(id, text, ok = true) {
  const out = $(id);
  out.textContent = text;
  out.classList.toggle("bad", !ok);
}

/** Runs one action of a button: its answer (or error) goes to the output `id`. */
async function act(button, id, work) {
  button.disabled = true;
  try {
    say(id, await work());
  } catch (error) {
    say(id, error.message, false);
  } finally {
    button.disabled = false;
  }
  refresh();
}

// ---- Examples: copy their text ----

async function copyExample(button) {
  const pre = $(button.dataset.copy);
  try {
    await navigator.clipboard.writeText(pre.textContent);
    button.textContent = "Copied";
  } catch {
    // No clipboard here (denied, or not a secure context): select it for Ctrl+C.
    getSelection().selectAllChildren(pre);
    button.textContent = "Selected: press Ctrl+C";
  }
  setTimeout(() => { button.textContent = "Copy"; }, 2000);
}

// ---- Users: log in as one ----

async function login(button) {
  const { email, password } = button.dataset;
  const answer = await call("POST", "/graphql", { query: LOGIN, variables: { email, password } });
  if (answer.errors) throw new Error(`login as ${email}: ${graphqlErrors(answer.errors)}`);
  return answer.data.login;
}

async function copyTokenPair(button) {
  const pair = await login(button);
  const text = JSON.stringify(pair, null, 2);
  const box = $("token-pair");
  $("tokens").hidden = false;
  $("token-label").textContent = `Token pair for ${button.dataset.email}`;
  box.value = text;
  try {
    await navigator.clipboard.writeText(text);
    return `Copied a fresh token pair for ${button.dataset.email}.`;
  } catch {
    box.select();
    return `A fresh token pair for ${button.dataset.email} is selected below: press Ctrl+C`
      + " (this browser does not let the page use the clipboard).";
  }
}

async function openIde(button) {
  const pair = await login(button);
  // In the fragment, which a browser never sends: the token stays out of server logs.
  const fragment = new URLSearchParams({ bearer: pair.access_token, user: button.dataset.email });
  location.assign(`${BASE}/graphql#${fragment}`);
  return `Opening GraphiQL as ${button.dataset.email}...`;
}

// ---- Clock ----

const CLOCK = "/__fakeauth/clock";

function showClock(clock) {
  $("clock-now").textContent = clock.now;
  const state = $("clock-state");
  state.textContent = clock.frozen ? "frozen" : "running";
  state.className = `badge ${state.textContent}`;
}

async function moveClock(what, method, path, body) {
  const clock = await call(method, path, body);
  showClock(clock);
  return `${what}: the clock says ${clock.now}, ${clock.frozen ? "frozen" : "running"}.`;
}

// ---- Faults and reset ----

function describeFault(f) {
  const delay = f.delay_ms ? ` after ${f.delay_ms} ms` : "";
  const times = f.times === 1 ? "once" : `${f.times} times`;
  return `${f.operation}: ${f.error || "no error"}${delay}, ${times}`;
}

async function addFault() {
  const fault = { operation: $("fault-operation").value, times: Number($("fault-times").value) };
  if ($("fault-error").value) fault.error = $("fault-error").value;
  const delay = Number($("fault-delay").value);
  if (delay) fault.delay_ms = delay;
  return `Added ${describeFault(await call("POST", "/__fakeauth/faults", fault))}.`;
}

function showFaults(faults) {
  $("faults-list").textContent = faults.length ? faults.map(describeFault).join("; ") : "none";
}

// ---- The request log, polled ----

/** What the operation column shows, as the server renders it. */
function operationOf(entry) {
  const fields = entry.fields.join(", ");
  let what = entry.operation || fields || "-";
  if (entry.operation && fields && entry.api === "graphql") what = `${entry.operation} (${fields})`;
  if (entry.api === "rest") {
    const route = `${entry.method} ${entry.path}`;
    what = entry.operation ? `${route} (${entry.operation})` : route;
  }
  return what;
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

function logRow(entry) {
  const row = document.createElement("tr");
  const kind = entry.outcome === "ok" ? "ok" : "error";
  const cells = [
    element("code", entry.time),
    operationOf(entry),
    entry.user ? entry.user.email : "-",
    element("span", entry.outcome, `badge ${kind}`),
    entry.reason || "",
  ];
  for (const content of cells) row.insertCell().append(content);
  return row;
}

let shownLog = null;

function showLog(entries) {
  const last = entries.slice(-SHOWN).reverse();
  const key = JSON.stringify(last);
  if (key === shownLog) return; // unchanged: keep what the reader may be selecting
  shownLog = key;
  const rows = last.map(logRow);
  if (!rows.length) {
    const row = document.createElement("tr");
    const cell = row.insertCell();
    cell.colSpan = 5;
    cell.textContent = "No requests yet.";
    rows.push(row);
  }
  const table = document.querySelector("#requests table");
  table.tBodies[0].replaceChildren(...rows);
  labelCells(table);
}

let running = null;
let again = false;

/** Reads the clock, the faults and the log; a call made while one runs is run after it. */
async function refresh() {
  if (!CONTROL) return;
  if (running) {
    again = true;
    return;
  }
  running = (async () => {
    try {
      const [clock, faults, log] = await Promise.all([
        call("GET", CLOCK),
        call("GET", "/__fakeauth/faults"),
        call("GET", "/__fakeauth/requests"),
      ]);
      showClock(clock);
      showFaults(faults);
      showLog(log);
      say("log-message", "");
    } catch (error) {
      say("log-message", `Not updated: ${error.message}`, false);
    }
  })();
  await running;
  running = null;
  if (again) {
    again = false;
    refresh();
  }
}

// ---- Narrow screens ----

// Below 40rem each grid row is drawn as a card, and each cell names its column itself.
function labelCells(table) {
  const names = [...table.querySelectorAll("thead th")].map((th) => th.textContent);
  for (const row of table.tBodies[0].rows) {
    [...row.cells].forEach((cell, index) => {
      if (names[index] && cell.colSpan === 1) cell.dataset.label = names[index];
    });
  }
}

// ---- Wiring ----

const CLICKS = {
  copy: (b) => copyExample(b),
  advance: (b) => act(b, "clock-message", () => moveClock(
    `+${b.dataset.advance}`, "POST", `${CLOCK}/advance`, { by: b.dataset.advance })),
  freeze: (b) => act(b, "clock-message", () => moveClock("Frozen", "PUT", CLOCK, { frozen: true })),
  unfreeze: (b) => act(b, "clock-message", () => moveClock("Running", "PUT", CLOCK, { frozen: false })),
  pair: (b) => act(b, "token-message", () => copyTokenPair(b)),
  ide: (b) => act(b, "token-message", () => openIde(b)),
  "faults-clear": (b) => act(b, "fault-message", async () => {
    await call("DELETE", "/__fakeauth/faults");
    return "Cleared every pending fault.";
  }),
  "log-clear": (b) => act(b, "log-message", async () => {
    await call("DELETE", "/__fakeauth/requests");
    return "";
  }),
  reset: (b) => act(b, "fault-message", async () => {
    await call("POST", "/__fakeauth/reset");
    // Users and catalogue are back as loaded too: the page shows them afresh.
    location.reload();
    return "Reset.";
  }),
};

function actionOf(button) {
  if (button.dataset.copy) return "copy";
  if (button.dataset.advance) return "advance";
  return button.dataset.login || button.id;
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[type=button]");
  const handler = button && CLICKS[actionOf(button)];
  if (handler) handler(button);
});

const FORMS = {
  "advance-form": (by) => moveClock(`+${by}`, "POST", `${CLOCK}/advance`, { by }),
  "set-form": (now) => moveClock("Set", "PUT", CLOCK, { now }),
  "fault-form": () => addFault(),
};

document.addEventListener("submit", (event) => {
  const form = event.target;
  const work = FORMS[form.id];
  if (!work) return;
  event.preventDefault();
  const input = form.querySelector("input");
  const where = form.id === "fault-form" ? "fault-message" : "clock-message";
  act(form.querySelector("button:not([type=button])"), where, () => work(input.value.trim()));
});

document.querySelectorAll("table.grid").forEach(labelCells);
if (CONTROL) {
  setInterval(() => { if (!document.hidden) refresh(); }, POLL_MS);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
}
