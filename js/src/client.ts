import { FakeAuthError } from "./errors.js";
import { ROUTES, type Route } from "./routes.js";
import { buildStorageState } from "./storage-state.js";
import type {
  Catalog,
  Clock,
  Duration,
  Fault,
  FaultOptions,
  Instant,
  LoggedRequest,
  Namespace,
  NamespaceSettings,
  NewUser,
  Revocation,
  StorageState,
  StorageStateOptions,
  TokenPair,
  User,
} from "./types.js";

export interface FakeAuthOptions {
  /** The server's base URL ("http://127.0.0.1:3001"); a GraphQL URL is taken too. */
  url: string;
  /** Work inside this namespace (its own clock, users, faults and log). */
  namespace?: string;
  /** The token the server was started with (`--control-token`). */
  controlToken?: string;
}

const NAMESPACE_HEADER = "X-Fakeauth-Namespace";
const TOKEN_HEADER = "X-Fakeauth-Control-Token";
const LOGIN = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { access_token refresh_token }
}`;

type UserKey = number | string;

/** A client of a running fakeauth's control API, for one namespace (or the default one). */
export class FakeAuth {
  /** The server's own base URL, without a namespace's prefix. */
  readonly serverUrl: string;
  /** The namespace it works in; undefined for the default one. */
  readonly namespace: string | undefined;
  /** The base URL of its namespace: `${serverUrl}/ns/${namespace}` (or `serverUrl`). */
  readonly url: string;
  /** Its namespace's GraphQL endpoint. */
  readonly graphqlUrl: string;
  readonly clock: ClockControl;
  readonly users: UsersControl;
  readonly namespaces: NamespacesControl;
  readonly catalog: CatalogControl;
  private readonly controlToken: string | undefined;

  constructor(options: FakeAuthOptions) {
    if (!options || typeof options.url !== "string") {
      throw new TypeError('give the server\'s URL: new FakeAuth({ url: "http://127.0.0.1:3001" })');
    }
    this.serverUrl = options.url.replace(/\/+$/, "").replace(/\/graphql$/, "");
    this.namespace = options.namespace;
    this.url = options.namespace === undefined ? this.serverUrl : `${this.serverUrl}/ns/${encodeURIComponent(options.namespace)}`;
    this.graphqlUrl = `${this.url}/graphql`;
    this.controlToken = options.controlToken;
    this.clock = new ClockControl(this);
    this.users = new UsersControl(this);
    this.namespaces = new NamespacesControl(this);
    this.catalog = new CatalogControl(this);
  }

  /** A client of the same server working in namespace `name`. */
  inNamespace(name: string): FakeAuth {
    return new FakeAuth({ url: this.serverUrl, namespace: name, controlToken: this.controlToken });
  }

  /**
   * The token pair of a user. Without a password the server mints it (POST
   * /__fakeauth/tokens: no login in the request log); with one, this is the real
   * `login` mutation, which a wrong password makes a FakeAuthError ("Unauthorized").
   */
  async login(user: UserKey, password?: string): Promise<TokenPair> {
    if (password === undefined) {
      return this.call<TokenPair>(ROUTES.mintTokens, {}, { user });
    }
    const answer = await this.graphql<{ login: TokenPair }>(LOGIN, { email: user, password });
    return answer.login;
  }

  /** Send a GraphQL operation to this namespace; its errors become a FakeAuthError. */
  async graphql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    const where = `POST ${new URL(this.graphqlUrl).pathname}`;
    const response = await send(this.graphqlUrl, where, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
    const body = (await readJson(response, where)) as { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
    const first = body?.errors?.[0];
    if (first !== undefined || !response.ok) {
      const message = first?.message ?? `answered ${response.status}`;
      throw new FakeAuthError(message, response.status, where, body, first?.extensions?.code);
    }
    return body.data as T;
  }

  /** Make the next `times` (1) operations selecting `operation` ("*") fail, wait, or both. */
  async fail(fault: FaultOptions): Promise<Fault> {
    const { delayMs, ...rest } = fault;
    const body = delayMs === undefined ? rest : { ...rest, delay_ms: delayMs };
    return this.call<Fault>(ROUTES.addFault, {}, body);
  }

  /** The pending faults. */
  faults(): Promise<Fault[]> {
    return this.call(ROUTES.listFaults);
  }

  clearFaults(): Promise<void> {
    return this.call(ROUTES.clearFaults);
  }

  /** The GraphQL and REST requests since the last reset, oldest first, passwords masked. */
  requests(): Promise<LoggedRequest[]> {
    return this.call(ROUTES.listRequests);
  }

  clearRequests(): Promise<void> {
    return this.call(ROUTES.clearRequests);
  }

  /** Users as loaded, clock at its start settings, no faults, an empty log, no revocations. */
  reset(): Promise<void> {
    return this.call(ROUTES.reset);
  }

  /** Playwright's storageState with the user's fresh tokens under the app's own keys. */
  async storageState(options: StorageStateOptions): Promise<StorageState> {
    const { user, origin, ...places } = options;
    // Checked before asking the server, so a mistake costs no token.
    buildStorageState({ access_token: "a.e30.s", refresh_token: "r.e30.s" }, origin, places);
    const pair = await this.login(user);
    return buildStorageState(pair, origin, places);
  }

  /** The OpenAPI 3.1 description of the control API. */
  openapi(): Promise<Record<string, unknown>> {
    return this.call(ROUTES.openapi);
  }

  /** @internal One control request: JSON in, JSON out (undefined for 204), errors thrown. */
  async call<T>(route: Route, params: Record<string, string | number> = {}, body?: unknown): Promise<T> {
    const path = "/__fakeauth" + route.path.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(String(params[key])));
    const base = route.namespaced === "prefix" ? this.url : this.serverUrl;
    const headers: Record<string, string> = {};
    if (route.namespaced === "header" && this.namespace !== undefined) headers[NAMESPACE_HEADER] = this.namespace;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.controlToken !== undefined) headers[TOKEN_HEADER] = this.controlToken;
    const where = `${route.method} ${new URL(base + path).pathname}`;
    const response = await send(base + path, where, {
      method: route.method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return undefined as T;
    const answer = await readJson(response, where);
    if (!response.ok) {
      const message = (answer as { message?: unknown })?.message;
      const text = Array.isArray(message) ? message.join("; ") : String(message ?? `answered ${response.status}`);
      throw new FakeAuthError(text, response.status, where, answer);
    }
    return answer as T;
  }
}

async function send(url: string, where: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? String(error);
    throw new FakeAuthError(`cannot reach fakeauth at ${new URL(url).origin} (${reason}): is it running?`, 0, where);
  }
}

async function readJson(response: Response, where: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new FakeAuthError(`answered ${response.status} with no JSON: ${text.slice(0, 200)}`, response.status, where, text);
  }
}

function instant(value: Instant): string | number {
  return value instanceof Date ? value.toISOString() : value;
}

/** The fake's clock: the one that issues and checks tokens in this namespace. */
export class ClockControl {
  constructor(private readonly fake: FakeAuth) {}

  get(): Promise<Clock> {
    return this.fake.call(ROUTES.getClock);
  }

  /** Jump to `now`; `frozen` stands the clock still there (or lets it run). */
  set(now: Instant, options: { frozen?: boolean } = {}): Promise<Clock> {
    return this.fake.call(ROUTES.setClock, {}, { now: instant(now), ...options });
  }

  /** Move it forward: "20d", "1h30m", "250ms" or seconds. */
  advance(by: Duration): Promise<Clock> {
    return this.fake.call(ROUTES.advanceClock, {}, { by });
  }

  freeze(): Promise<Clock> {
    return this.fake.call(ROUTES.setClock, {}, { frozen: true });
  }

  unfreeze(): Promise<Clock> {
    return this.fake.call(ROUTES.setClock, {}, { frozen: false });
  }
}

/** The users that log in; a user is named by its id or its email. */
export class UsersControl {
  constructor(private readonly fake: FakeAuth) {}

  list(): Promise<User[]> {
    return this.fake.call(ROUTES.listUsers);
  }

  async get(user: UserKey): Promise<User> {
    return this.fake.call(ROUTES.getUser, { id: await this.idOf(user) });
  }

  /** Add a user written as in the users file; 400 or 409 (a taken email) as FakeAuthError. */
  add(user: NewUser): Promise<User> {
    return this.fake.call(ROUTES.addUser, {}, user);
  }

  async remove(user: UserKey): Promise<void> {
    return this.fake.call(ROUTES.removeUser, { id: await this.idOf(user) });
  }

  /** End the user's sessions: tokens issued up to the clock's now are refused from now on. */
  async revoke(user: UserKey): Promise<Revocation> {
    return this.fake.call(ROUTES.revokeUser, { id: await this.idOf(user) });
  }

  private async idOf(user: UserKey): Promise<number> {
    if (typeof user === "number") return user;
    const found = (await this.list()).find((candidate) => candidate.email === user);
    if (found === undefined) {
      throw new FakeAuthError(`no user with email ${JSON.stringify(user)}`, 404, `GET ${new URL(this.fake.url).pathname}/__fakeauth/users`);
    }
    return found.id;
  }
}

/** The server's namespaces (these calls ignore the client's own namespace). */
export class NamespacesControl {
  constructor(private readonly fake: FakeAuth) {}

  list(): Promise<Namespace[]> {
    return this.fake.call(ROUTES.listNamespaces);
  }

  /** Create the namespace, or replace it (its state starts afresh), with these settings. */
  create(name: string, settings: NamespaceSettings = {}): Promise<Namespace> {
    const body = settings.now === undefined ? settings : { ...settings, now: instant(settings.now) };
    return this.fake.call(ROUTES.putNamespace, { name }, body);
  }

  /** Forget it; no error when there was none. */
  delete(name: string): Promise<void> {
    return this.fake.call(ROUTES.deleteNamespace, { name });
  }
}

/** The namespace's whole catalogue, in the catalogue file's shape. */
export class CatalogControl {
  constructor(private readonly fake: FakeAuth) {}

  get(): Promise<Catalog> {
    return this.fake.call(ROUTES.getCatalog);
  }

  set(catalog: Catalog): Promise<Catalog> {
    return this.fake.call(ROUTES.setCatalog, {}, catalog);
  }
}

export { NAMESPACE_HEADER, TOKEN_HEADER };
