// The browser's reads and writes of the app's JSON routes, with the server's refusal (its `error` and each of
// its `problems`) turned into an Error message a user can act on.

/** What the server said when it refused. */
export async function refusal(response: Response, what: string): Promise<Error> {
  let message = `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { error?: string; problems?: string[] };
    message = [body.error, ...(body.problems ?? [])].filter(Boolean).join(": ") || message;
  } catch {
    // not JSON: keep the status
  }
  return new Error(`${what}: ${message}`);
}

export async function getJson<T>(url: string, what: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw await refusal(response, `Could not load ${what}`);
  return (await response.json()) as T;
}

export async function postJson<T>(url: string, body: unknown, what: string): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await refusal(response, what);
  return (await response.json()) as T;
}
