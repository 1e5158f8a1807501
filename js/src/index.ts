export { FakeAuth, ClockControl, UsersControl, NamespacesControl, CatalogControl, NAMESPACE_HEADER, TOKEN_HEADER } from "./client.js";
export type { FakeAuthOptions } from "./client.js";
export { FakeAuthError } from "./errors.js";
export { ROUTES } from "./routes.js";
export type { Route, RouteName } from "./routes.js";
export { buildStorageState } from "./storage-state.js";
export { startFakeAuth } from "./server.js";
export type { RunningFakeAuth, StartOptions } from "./server.js";
export type * from "./types.js";
