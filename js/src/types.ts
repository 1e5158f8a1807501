// The control API's shapes, as GET /__fakeauth/openapi.json describes them (its
// components/schemas); test/client.test.mjs checks real answers against that description.

/** An instant: ISO 8601 with a zone ("2023-01-03T20:44:43Z"), Unix seconds, or a Date. */
export type Instant = string | number | Date;
/** A duration: "10h", "1h30m", "250ms", or seconds. */
export type Duration = string | number;

/** Schema Clock. */
export interface Clock {
  now: string;
  timestamp: number;
  frozen: boolean;
}

export type Role = "customer" | "admin";

/** Schema User: a user as the REST API shows it. */
export interface User {
  id: number;
  email: string;
  password: string;
  name: string;
  role: Role;
  avatar: string;
  creationAt: string;
  updatedAt: string;
}

/** Schema NewUser: a user written as in the users file. */
export interface NewUser {
  email: string;
  password: string;
  name: string;
  role: Role;
  avatar: string;
  id?: number;
  creationAt?: string;
  updatedAt?: string;
  protected?: boolean;
}

/** Schema Revocation. */
export interface Revocation {
  id: number;
  email: string;
  revoked_until: string;
  timestamp: number;
}

/** Schema TokenPair: what the login mutation gives. */
export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

/** Schema LoggedRequest: one GraphQL or REST request, passwords masked. */
export interface LoggedRequest {
  time: string;
  api: "graphql" | "rest";
  method: string;
  path: string;
  /** The GraphQL operation's own name (`Login`); null for REST and anonymous operations. */
  operation_name: string | null;
  /** The root fields: the names faults take (a REST route counts as the field it mirrors). */
  root_fields: string[];
  operation: string | null;
  fields: string[];
  query: string | null;
  variables: Record<string, unknown>;
  body: unknown;
  user: { id: number; email: string } | null;
  outcome: string;
  /** Why it failed or was refused, in plain words; null when it went well. */
  reason: string | null;
  status: number | null;
}

/** What `fail()` takes; the client sends it as schema NewFault (delay_ms). */
export interface FaultOptions {
  /** A root field (`login`, `refreshToken`, `myProfile`, ...) or "*" (the default). */
  operation?: string;
  /** A GraphQL error code (`UNAUTHENTICATED`, `INTERNAL_SERVER_ERROR`, ...) or "network". */
  error?: string | null;
  delayMs?: number;
  times?: number;
  message?: string | null;
}

/** Schema Fault: a pending fault. */
export interface Fault {
  operation: string;
  error: string | null;
  delay_ms: number;
  times: number;
  message: string | null;
}

/** Schema Catalog, in the catalogue file's shape. */
export interface Catalog {
  categories?: Record<string, unknown>[];
  products?: Record<string, unknown>[];
}

/** Schema NamespaceSettings: what a new namespace differs in from the server. */
export interface NamespaceSettings {
  now?: Instant;
  frozen?: boolean;
  access_ttl?: Duration;
  refresh_ttl?: Duration;
  users?: NewUser[];
  refresh_rotation?: boolean;
}

/** Schema Namespace. */
export interface Namespace {
  name: string;
  prefix: string;
  users: number;
  clock: Clock;
  requests: number;
  access_ttl: string;
  refresh_ttl: string;
  refresh_rotation: boolean;
}

export type TokenKind = "access_token" | "refresh_token";

/** Where the app under test keeps its tokens, and which one in each place. */
export interface TokenPlaces {
  /** localStorage key → the token it holds: `{ token: "access_token" }`. */
  localStorage?: Record<string, TokenKind>;
  /** cookie name → the token it holds; each cookie expires with its token. */
  cookies?: Record<string, TokenKind>;
}

export interface StorageStateOptions extends TokenPlaces {
  /** The user's id or email. */
  user: number | string;
  /** The app's origin: "http://127.0.0.1:5173". */
  origin: string;
}

/** Playwright's storageState JSON (what `browser.newContext({ storageState })` takes). */
export interface StorageState {
  cookies: {
    name: string;
    value: string;
    domain: string;
    path: string;
    expires: number;
    httpOnly: boolean;
    secure: boolean;
    sameSite: "Strict" | "Lax" | "None";
  }[];
  origins: { origin: string; localStorage: { name: string; value: string }[] }[];
}
