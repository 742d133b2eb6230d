/** The invoke URL of a stage on AWS. */
export function stageURL(stage«: Stage», id«: string | undefined» = restApiId)«: string» {
  if (!id) {
    throw new Error("the description names no id for API " + apiName + ": pass it (the AWS console or get-rest-apis / get-apis shows it)");
  }
  // An HTTP API's $default stage is served at the API's root.
  return "https://" + id + ".execute-api." + region + ".amazonaws.com" + (String(stage) === "$default" ? "" : "/" + stage);
}

/** A token provider over Amplify v6: amplifyTokens(fetchAuthSession) with fetchAuthSession from "aws-amplify/auth". */
export function amplifyTokens(fetchAuthSession«: () => Promise<AmplifySession>»)«: TokenProvider» {
  return async () => {
    const { tokens } = await fetchAuthSession();
    return { idToken: tokens?.idToken?.toString(), accessToken: tokens?.accessToken?.toString() };
  };
}

/**
 * The Amplify v6 configuration: Auth.Cognito for the user pool the
 * description names, and API.REST with one entry per stage (NAME-STAGE)
 * plus NAME for the chosen stage. Calls through Amplify's own REST client
 * must still set the identity header themselves; this module's client does.
 */
export function amplifyConfig(o«: AmplifyConfigOptions»)«: AmplifyConfig» {
  const id = o.restApiId ?? restApiId;
  const url = (s«: Stage») => o.endpoint ?? stageURL(s, id);
  const rest«: Record<string, { endpoint: string; region: string }>» = {};
  rest[apiName] = { endpoint: url(o.stage ?? defaultStage), region };
  for (const s of stages) {
    rest[apiName + "-" + s] = { endpoint: url(s), region };
  }
  const config«: AmplifyConfig» = { API: { REST: rest } };
  if (userPoolId) {
    config.Auth = { Cognito: { userPoolId, userPoolClientId: o.userPoolClientId } };
    if (o.userPoolEndpoint) {
      config.Auth.Cognito.userPoolEndpoint = o.userPoolEndpoint;
    }
  }
  return config;
}

function expand(path«: string», params«: Record<string, string>»)«: string» {
  return path.replace(/\{([^}]+?)(\+?)\}/g, (_«: string», name«: string», greedy«: string») => {
    const v = params[name] ?? "";
    return greedy ? v.split("/").map(encodeURIComponent).join("/") : encodeURIComponent(v);
  });
}

function claims(token«: string»)«: Record<string, unknown>» {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part + "===".slice((part.length + 3) % 4)));
  } catch {
    return {};
  }
}

function unauthorizedReason(route«: RouteInfo», sent«: TokenKind», token«: string», message«: string», challenge«: string»)«: UnauthorizedReason» {
  if (sent === "none") {
    return "not-signed-in";
  }
  // HTTP APIs answer with a WWW-Authenticate challenge (readable only when
  // the API exposes it); REST APIs say only "Unauthorized", except for
  // expiry, so the rest is read from the token against the route.
  const text = (message + " " + challenge).toLowerCase();
  if (text.includes("expired")) {
    return "expired";
  }
  // The token's kind is known exactly; a scope challenge says less (an ID
  // token has no scopes at all).
  const c = claims(token);
  const use = c["token_use"];
  if (sent !== route.token || (use !== undefined && use !== sent)) {
    return "wrong-token-type";
  }
  if (text.includes("insufficient_scope")) {
    return "missing-scope";
  }
  if (route.scopes.length > 0) {
    const granted = String(c["scope"] ?? "").split(" ");
    if (!route.scopes.some((s) => granted.includes(s))) {
      return "missing-scope";
    }
  }
  return "rejected";
}

function messageOf(data«: unknown», text«: string»)«: string» {
  if (data && typeof data === "object") {
    const d = data« as Record<string, unknown>»;
    const m = d["message"] ?? d["Message"];
    if (typeof m === "string") {
      return m;
    }
  }
  return text;
}

// A fetch that rejects is a network failure or a CORS block; browsers
// tell the page neither. An opaque no-cors GET to the same URL settles
// it: it resolves whenever the server answers at all.
async function failure(f«: typeof fetch», url«: string», error«: unknown»)«: Promise<Result>» {
  const message = error instanceof Error ? error.message : String(error);
  const crossOrigin = typeof location !== "undefined" && new URL(url, location.href).origin !== location.origin;
  if (crossOrigin) {
    try {
      await f(url, { method: "GET", mode: "no-cors", credentials: "omit" });
      return { ok: false, kind: "cors", status: 0, message, error };
    } catch {
      // no answer at all
    }
  }
  return { ok: false, kind: "network", status: 0, message, error };
}

async function call(o«: ClientOptions», route«: RouteInfo», params«: Record<string, string>», c«: CallOptions» = {})«: Promise<Result>» {
  const f = o.fetch ?? fetch;
  const want = c.token ?? route.token;
  const headers«: Record<string, string>» = { ...c.headers };
  let sent«: TokenKind» = "none";
  let token = "";
  if (want !== "none" && o.tokens) {
    let t«: Tokens» = {};
    try {
      t = await o.tokens();
    } catch {
      // not signed in: the call goes without a token and the 401 says so
    }
    token = (want === "id" ? t.idToken : t.accessToken) ?? "";
    if (token) {
      headers[route.header] = token;
      sent = want;
    }
  }
  let body«: string | undefined»;
  if (c.body !== undefined) {
    body = JSON.stringify(c.body);
    headers["Content-Type"] = headers["Content-Type"] ?? "application/json";
  }
  let url = o.baseURL.replace(/\/+$/, "") + expand(route.path, params);
  if (c.query) {
    url += "?" + new URLSearchParams(c.query).toString();
  }
  const method = route.method === "ANY" ? (c.method ?? "GET") : route.method;
  let response«: Response»;
  try {
    response = await f(url, { method, headers, body, signal: c.signal, mode: "cors" });
  } catch (error) {
    return failure(f, url, error);
  }
  const text = await response.text().catch(() => "");
  let data«: unknown» = text;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  const status = response.status;
  if (response.ok) {
    return { ok: true, status, data, response };
  }
  const message = messageOf(data, text);
  if (status === 401) {
    const reason = unauthorizedReason(route, sent, token, message, response.headers.get("www-authenticate") ?? "");
    return { ok: false, kind: "unauthorized", status: 401, reason, sent, message, data, response };
  }
  if (status === 403) {
    let reason«: "not-deployed" | "wrong-token-type" | "missing-scope" | "denied"» = "denied";
    if (message === "Missing Authentication Token") {
      reason = "not-deployed";
    } else if (sent !== "none" && route.scopes.length > 0) {
      const why = unauthorizedReason(route, sent, token, message, response.headers.get("www-authenticate") ?? "");
      if (why === "wrong-token-type" || why === "missing-scope") {
        reason = why;
      }
    }
    return { ok: false, kind: "forbidden", status: 403, reason, message, data, response };
  }
  return { ok: false, kind: "http", status, message, data, response };
}
