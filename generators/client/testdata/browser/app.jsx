// The browser test's page: a TodoList like a single-page app's, signed in
// with Amplify v6 against cognito-local, calling the local gateway through
// the generated client. It asserts in the page: each check records what the
// page itself could see (a status it could read, or a CORS failure).
import React, { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { Amplify } from "aws-amplify";
import { fetchAuthSession, signIn, signOut } from "aws-amplify/auth";
import * as todo from "../gen/todo.client.ts";
import * as nocors from "../gen/todo-nocors.client.ts";
import * as http from "../gen/todo-http.client.ts";

let update = () => {};

function TodoList() {
  const [state, setState] = useState({ user: "", items: [], checks: [], done: false });
  useEffect(() => {
    update = (patch) => setState((s) => ({ ...s, ...patch }));
  }, []);
  return (
    <main style={{ fontFamily: "sans-serif", margin: 24 }}>
      <h1>Todo</h1>
      <p id="user">{state.user ? "Signed in as " + state.user : "Signed out"}</p>
      <ul id="items">
        {state.items.map((it) => (
          <li key={it.id}>{it.title}</li>
        ))}
      </ul>
      <h2>What the page saw ({window.location.origin})</h2>
      <table id="checks" border="1" cellPadding="4">
        <thead>
          <tr>
            <th>check</th>
            <th>expected</th>
            <th>got</th>
            <th>pass</th>
          </tr>
        </thead>
        <tbody>
          {state.checks.map((c) => (
            <tr key={c.name} style={{ background: c.pass ? "#dfd" : "#fdd" }}>
              <td>{c.name}</td>
              <td>{c.want}</td>
              <td>{c.got}</td>
              <td>{c.pass ? "PASS" : "FAIL"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p id="done">{state.done ? "done" : "running"}</p>
    </main>
  );
}

// what the page could read of a result
function seen(r) {
  if (r.ok) return "status " + r.status;
  switch (r.kind) {
    case "unauthorized":
      return "status 401 (" + r.reason + ", sent " + r.sent + ")";
    case "forbidden":
      return "status 403 (" + r.reason + ")";
    case "cors":
    case "network":
      return r.kind + " failure, no status (" + r.message + ")";
    default:
      return "status " + r.status;
  }
}

async function start(cfg) {
  const checks = [];
  const check = (name, want, r, pass) => {
    checks.push({ name, want, got: seen(r), pass: !!pass });
    update({ checks: [...checks] });
  };
  Amplify.configure(
    todo.amplifyConfig({
      userPoolClientId: cfg.clientId,
      restApiId: cfg.todoId,
      endpoint: cfg.todoURL,
      userPoolEndpoint: cfg.cognitoURL,
    }),
  );
  const tokens = todo.amplifyTokens(fetchAuthSession);
  const api = todo.createClient({ baseURL: cfg.todoURL, tokens });
  const bare = nocors.createClient({ baseURL: cfg.nocorsURL, tokens });
  const v2 = http.createClient({ baseURL: cfg.httpURL, tokens });

  let r = await api.getHealth();
  check("public route, no token", "status 200", r, r.ok && r.status === 200);

  await signOut().catch(() => {});
  r = await api.getItems();
  check("signed out: unscoped route", "readable 401 (not-signed-in)", r, !r.ok && r.kind === "unauthorized" && r.reason === "not-signed-in");

  await signIn({ username: cfg.username, password: cfg.password, options: { authFlowType: "USER_PASSWORD_AUTH" } });
  const session = await fetchAuthSession();
  update({ user: String(session.tokens?.idToken?.payload?.email ?? "") });

  r = await api.getItems();
  check("unscoped route with the ID token", "status 200", r, r.ok && r.status === 200);
  if (r.ok && r.data && Array.isArray(r.data.items)) {
    update({ items: r.data.items });
  }

  r = await api.deleteItemsById({ id: "1" });
  check("scoped route with the access token", "status 200", r, r.ok && r.status === 200);
  check("preflight (DELETE + Authorization) allowed", "a readable answer", r, r.ok || r.status !== 0);

  r = await api.deleteItemsById({ id: "1" }, { token: "id" });
  check("scoped route with the ID token", "readable 401 (wrong-token-type)", r, !r.ok && r.kind === "unauthorized" && r.status === 401 && r.reason === "wrong-token-type");

  r = await bare.getItems();
  check("no CORS on gateway responses: ID token", "status 200", r, r.ok && r.status === 200);
  r = await bare.getItems({ token: "none" });
  check("no CORS on gateway responses: no token", "CORS failure, no status", r, !r.ok && r.kind === "cors" && r.status === 0);

  r = await v2.getItems();
  check("HTTP API: unscoped route with the access token", "status 200", r, r.ok && r.status === 200);
  r = await v2.deleteItemsById({ id: "1" }, { token: "id" });
  check("HTTP API: scoped route with the ID token", "readable 403 (wrong-token-type)", r, !r.ok && r.kind === "forbidden" && r.reason === "wrong-token-type");
  r = await v2.getItems({ token: "none" });
  check("HTTP API: no token", "readable 401 (not-signed-in)", r, !r.ok && r.kind === "unauthorized" && r.reason === "not-signed-in");

  update({ done: true });
  return checks;
}

window.start = start;
createRoot(document.getElementById("root")).render(<TodoList />);
