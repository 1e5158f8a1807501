// An Apollo Client 4 app against fakeauth, as a frontend would write it.
//
//   node check.mjs http://127.0.0.1:3001/graphql
//
// Logs in, sends the access token through a SetContextLink, reads myProfile,
// refreshes, reads the profile with the new token, and checks that a bad token
// surfaces as a GraphQL error with extensions.code UNAUTHENTICATED. Prints one
// JSON summary on stdout; exits 0 when every check passed, 1 when one failed,
// 2 without a URL. tests/test_apollo_client.py runs it and reads the summary.

import {
  ApolloClient,
  ApolloLink,
  CombinedGraphQLErrors,
  HttpLink,
  InMemoryCache,
  ServerError,
  ServerParseError,
  gql,
} from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";

const LOGIN = gql`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      access_token
      refresh_token
    }
  }
`;
const REFRESH = gql`
  mutation Refresh($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      access_token
      refresh_token
    }
  }
`;
const PROFILE = gql`
  query Profile {
    myProfile {
      id
      name
      avatar
    }
  }
`;

const url = process.argv[2];
if (!url) {
  console.error("usage: node check.mjs GRAPHQL_URL (e.g. http://127.0.0.1:3001/graphql)");
  process.exit(2);
}

// Where the app keeps its token; the link reads it for every operation.
let accessToken = null;

const authLink = new SetContextLink((prevContext) => ({
  headers: {
    ...prevContext.headers,
    ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
  },
}));

const client = new ApolloClient({
  link: ApolloLink.from([authLink, new HttpLink({ uri: url })]),
  cache: new InMemoryCache(),
  defaultOptions: {
    query: { fetchPolicy: "no-cache" },
    mutate: { fetchPolicy: "no-cache" },
  },
});

const summary = { ok: false, url, failures: [] };

function check(condition, failure) {
  if (!condition) summary.failures.push(failure);
}

function describe(error) {
  if (CombinedGraphQLErrors.is(error)) {
    const errors = error.errors.map((e) => ({
      message: e.message,
      path: e.path,
      code: e.extensions?.code,
      originalError: e.extensions?.originalError,
    }));
    return { kind: "graphql", name: error.name, code: errors[0]?.code, errors };
  }
  if (ServerError.is(error)) {
    return { kind: "server", name: error.name, statusCode: error.statusCode, message: error.message };
  }
  if (ServerParseError.is(error)) {
    return { kind: "server", name: error.name, statusCode: error.statusCode, message: error.message };
  }
  return { kind: "other", name: error?.name, message: String(error?.message ?? error) };
}

async function readProfile() {
  const { data } = await client.query({ query: PROFILE });
  return data.myProfile;
}

async function main() {
  const login = await client.mutate({
    mutation: LOGIN,
    variables: { email: "john@mail.com", password: "changeme" },
  });
  summary.login = login.data.login;
  accessToken = summary.login.access_token;

  summary.profile = await readProfile();
  check(summary.profile.id === "1", `profile id is ${summary.profile.id}, not "1"`);

  const refreshed = await client.mutate({
    mutation: REFRESH,
    variables: { refreshToken: summary.login.refresh_token },
  });
  summary.refreshed = refreshed.data.refreshToken;
  accessToken = summary.refreshed.access_token;
  summary.profileAfterRefresh = await readProfile();
  check(
    JSON.stringify(summary.profileAfterRefresh) === JSON.stringify(summary.profile),
    "the profile read with the refreshed token differs",
  );

  accessToken = "not-a-token";
  try {
    await readProfile();
    summary.badToken = { kind: "none" };
    check(false, "a bad token was accepted");
  } catch (error) {
    summary.badToken = describe(error);
    check(summary.badToken.kind === "graphql", `a bad token gave a ${summary.badToken.kind} error`);
    check(
      summary.badToken.code === "UNAUTHENTICATED",
      `a bad token gave code ${summary.badToken.code}, not UNAUTHENTICATED`,
    );
  }
}

try {
  await main();
} catch (error) {
  summary.crash = describe(error);
  summary.failures.push(`crashed: ${summary.crash.name}: ${summary.crash.message ?? ""}`);
}
summary.ok = summary.failures.length === 0;
console.log(JSON.stringify(summary, null, 2));
process.exitCode = summary.ok ? 0 : 1;
