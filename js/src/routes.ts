// Every control route the client calls, in one table: the client builds each request
// from it, and test/client.test.mjs checks it against GET /__fakeauth/openapi.json.

export interface Route {
  readonly method: "GET" | "PUT" | "POST" | "DELETE";
  /** Under /__fakeauth, with {id} or {name} to fill in. */
  readonly path: string;
  /**
   * How it reaches a namespace: "prefix" (under /ns/{name}), "header" (only by the
   * X-Fakeauth-Namespace header), or false for the server's own routes.
   */
  readonly namespaced: "prefix" | "header" | false;
}

function route(method: Route["method"], path: string, namespaced: Route["namespaced"] = "prefix"): Route {
  return { method, path, namespaced };
}

export const ROUTES = {
  getClock: route("GET", "/clock"),
  setClock: route("PUT", "/clock"),
  advanceClock: route("POST", "/clock/advance"),
  reset: route("POST", "/reset"),
  listUsers: route("GET", "/users"),
  addUser: route("POST", "/users"),
  getUser: route("GET", "/users/{id}"),
  removeUser: route("DELETE", "/users/{id}"),
  revokeUser: route("POST", "/users/{id}/revoke"),
  mintTokens: route("POST", "/tokens"),
  listRequests: route("GET", "/requests"),
  clearRequests: route("DELETE", "/requests"),
  listFaults: route("GET", "/faults"),
  addFault: route("POST", "/faults"),
  clearFaults: route("DELETE", "/faults"),
  getCatalog: route("GET", "/catalog"),
  setCatalog: route("PUT", "/catalog"),
  listNamespaces: route("GET", "/namespaces", false),
  putNamespace: route("PUT", "/namespaces/{name}", false),
  deleteNamespace: route("DELETE", "/namespaces/{name}", false),
  openapi: route("GET", "/openapi.json", false),
} as const satisfies Record<string, Route>;

export type RouteName = keyof typeof ROUTES;
