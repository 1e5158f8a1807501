// The app under test: it logs in, keeps its tokens in localStorage, shows the profile,
// and trades its refresh token for a new pair when the access token has expired.
const API = new URLSearchParams(location.search).get("api") ?? "http://127.0.0.1:3001/graphql";
const ACCESS = "token";
const REFRESH = "refresh";

const LOGIN = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { access_token refresh_token }
}`;
const REFRESH_TOKEN = `mutation Refresh($token: String!) {
  refreshToken(refreshToken: $token) { access_token refresh_token }
}`;
const PROFILE = "query Profile { myProfile { name email } }";

async function graphql(query, variables = {}, token = null) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(API, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  return response.json();
}

const unauthorized = (answer) => answer.errors?.[0]?.extensions?.code === "UNAUTHENTICATED";

function keep(pair) {
  localStorage.setItem(ACCESS, pair.access_token);
  localStorage.setItem(REFRESH, pair.refresh_token);
}

async function refresh() {
  const token = localStorage.getItem(REFRESH);
  if (!token) return false;
  const answer = await graphql(REFRESH_TOKEN, { token });
  if (!answer.data?.refreshToken) return false;
  keep(answer.data.refreshToken);
  return true;
}

async function showProfile() {
  let answer = await graphql(PROFILE, {}, localStorage.getItem(ACCESS));
  if (unauthorized(answer)) {
    if (!(await refresh())) return showLogin("Your session has ended. Please log in again.");
    answer = await graphql(PROFILE, {}, localStorage.getItem(ACCESS));
  }
  if (!answer.data?.myProfile) return showLogin(answer.errors?.[0]?.message ?? "Something went wrong.");
  document.querySelector("#name").textContent = answer.data.myProfile.name;
  document.querySelector("#email").textContent = answer.data.myProfile.email;
  show("profile", "");
}

function showLogin(message = "") {
  localStorage.removeItem(ACCESS);
  localStorage.removeItem(REFRESH);
  show("login", message);
}

function show(state, message) {
  document.querySelector("#login").hidden = state !== "login";
  document.querySelector("#profile").hidden = state !== "profile";
  document.querySelector("#message").textContent = message;
  document.body.dataset.state = state;
}

document.querySelector("#login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  show("loading", "");
  const answer = await graphql(LOGIN, { email: form.get("email"), password: form.get("password") });
  if (!answer.data?.login) return show("login", answer.errors?.[0]?.message ?? "Login failed.");
  keep(answer.data.login);
  await showProfile();
});

document.querySelector("#reload").addEventListener("click", () => {
  show("loading", "");
  showProfile();
});

if (localStorage.getItem(ACCESS)) showProfile();
else showLogin();
