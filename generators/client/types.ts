/** Which token a route wants in its identity header. */
export type TokenKind = "id" | "access" | "none";

/** The signed-in user's tokens, as raw JWTs; a missing one is sent as none. */
export interface Tokens {
  idToken?: string;
  accessToken?: string;
}

/** Supplies the current tokens before every call (refreshing them is its job). */
export type TokenProvider = () => Promise<Tokens>;

/**
 * Why the gateway answered 401, as far as the client can know:
 * "not-signed-in": no token was sent (none was available);
 * "wrong-token-type": the token sent is not the kind the route wants
 *   (an ID token on a scoped route, an access token on an unscoped one);
 * "missing-scope": an access token without any of the route's scopes;
 * "expired": the gateway said the token has expired;
 * "rejected": a token of the right kind was refused anyway (another
 *   pool, a bad signature, an audience check): the message may say more.
 */
export type UnauthorizedReason = "not-signed-in" | "wrong-token-type" | "missing-scope" | "expired" | "rejected";

/** The outcome of a call; check `ok`, then `kind`. */
export type Result =
  | { ok: true; status: number; data: unknown; response: Response }
  | {
      ok: false;
      kind: "unauthorized";
      status: 401;
      reason: UnauthorizedReason;
      /** The token kind that was sent. */
      sent: TokenKind;
      message: string;
      data: unknown;
      response: Response;
    }
  | {
      ok: false;
      kind: "forbidden";
      status: 403;
      /**
       * "not-deployed": a REST API's "Missing Authentication Token" (no such
       * route or method on the stage); "wrong-token-type" and
       * "missing-scope": an HTTP API's JWT authorizer refused the token's
       * scopes (it answers 403 where a REST API answers 401); "denied":
       * a resource policy, WAF or API key.
       */
      reason: "not-deployed" | "wrong-token-type" | "missing-scope" | "denied";
      message: string;
      data: unknown;
      response: Response;
    }
  | { ok: false; kind: "http"; status: number; message: string; data: unknown; response: Response }
  | {
      ok: false;
      /**
       * "cors": the server answered but the browser kept the answer from
       * the page (no Access-Control-Allow-Origin for this origin on the
       * answer, or a preflight that refused the method or a header);
       * "network": no answer at all.
       */
      kind: "cors" | "network";
      status: 0;
      message: string;
      error: unknown;
    };

/** Per-call options. */
export interface CallOptions {
  /** Sent as JSON. */
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Overrides the route's token choice (for tests and diagnosis). */
  token?: TokenKind;
  /** The method for an ANY route (default GET). */
  method?: string;
  signal?: AbortSignal;
}

/** How a client reaches the API. */
export interface ClientOptions {
  /** The stage's invoke URL: stageURL(stage, restApiId), a custom domain, or the local gateway's. */
  baseURL: string;
  /** Where tokens come from: amplifyTokens(fetchAuthSession), or your own. */
  tokens?: TokenProvider;
  fetch?: typeof fetch;
}

/** The part of Amplify v6's fetchAuthSession() answer the adapter reads. */
export interface AmplifySession {
  tokens?: { idToken?: { toString(): string }; accessToken?: { toString(): string } };
}

/** The Amplify v6 configuration for this API (Amplify.configure takes it as is). */
export interface AmplifyConfig {
  Auth?: { Cognito: { userPoolId: string; userPoolClientId: string; userPoolEndpoint?: string } };
  API: { REST: Record<string, { endpoint: string; region: string }> };
}

/** Inputs of amplifyConfig. */
export interface AmplifyConfigOptions {
  /** The user pool app client (public, no secret) the app signs in with. */
  userPoolClientId: string;
  /** Needed when the description does not name the API's id. */
  restApiId?: string;
  /** The stage the API's own name points at (default: the first described). */
  stage?: Stage;
  /** Another endpoint for every stage, e.g. the local gateway's invoke URL. */
  endpoint?: string;
  /** A Cognito stand-in such as cognito-local: http://localhost:9229. */
  userPoolEndpoint?: string;
}

/** A route's facts, as the description gives them. */
export interface RouteInfo {
  method: string;
  path: string;
  token: TokenKind;
  /** The header the authorizer reads the token from. */
  header: string;
  scopes: readonly string[];
}
