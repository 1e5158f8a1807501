/** What the control API (or the login mutation) refused, or a server that did not answer. */
export class FakeAuthError extends Error {
  override readonly name = "FakeAuthError";

  constructor(
    message: string,
    /** The HTTP status; 0 when no answer came. */
    readonly status: number,
    /** "PUT /__fakeauth/clock", or "POST /graphql (login)". */
    readonly request: string,
    /** The answer's JSON (NestJS's `{message, error, statusCode}`, or GraphQL's errors). */
    readonly body: unknown = undefined,
    /** For a GraphQL error: its `extensions.code` ("UNAUTHENTICATED"). */
    readonly code: string | undefined = undefined,
  ) {
    super(message);
  }
}
