import type { StorageState, TokenKind, TokenPair, TokenPlaces } from "./types.js";

const KINDS: readonly string[] = ["access_token", "refresh_token"];

/**
 * Playwright's storageState for `origin` with each key or cookie holding the token it
 * names: the same JSON `fakeauth storage-state` prints.
 */
export function buildStorageState(pair: TokenPair, origin: string, places: TokenPlaces): StorageState {
  const parsed = parseOrigin(origin);
  const localStorage = places.localStorage ?? {};
  const cookies = places.cookies ?? {};
  for (const [name, kind] of Object.entries({ ...localStorage, ...cookies })) {
    if (!KINDS.includes(kind)) {
      throw new TypeError(`${name}: ${JSON.stringify(kind)} is no token; give "access_token" or "refresh_token"`);
    }
  }
  const keys = Object.entries(localStorage);
  const jar = Object.entries(cookies);
  if (keys.length === 0 && jar.length === 0) {
    throw new TypeError("name at least one localStorage key or cookie to hold a token");
  }
  const token = (kind: TokenKind) => pair[kind];
  return {
    cookies: jar.map(([name, kind]) => ({
      name,
      value: token(kind),
      domain: parsed.hostname,
      path: "/",
      // The cookie lasts as long as the token it holds.
      expires: expiryOf(token(kind)),
      httpOnly: false,
      secure: parsed.protocol === "https:",
      sameSite: "Lax" as const,
    })),
    origins:
      keys.length === 0
        ? []
        : [{ origin: parsed.origin, localStorage: keys.map(([name, kind]) => ({ name, value: token(kind) })) }],
  };
}

function parseOrigin(origin: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(origin);
  } catch {
    parsed = undefined;
  }
  const plain = parsed && ["http:", "https:"].includes(parsed.protocol) && ["", "/"].includes(parsed.pathname);
  if (!parsed || !plain || parsed.search || parsed.hash) {
    throw new TypeError(`origin ${JSON.stringify(origin)}: give the app's origin, such as http://127.0.0.1:5173`);
  }
  return parsed;
}

/** The `exp` claim of a JWT, read without checking it. */
export function expiryOf(token: string): number {
  const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
  return payload.exp as number;
}
