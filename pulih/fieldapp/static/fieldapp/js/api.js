// Calls to the Pulih API on the same origin (session cookie + CSRF header).
import { language } from "./i18n.js";

export class OfflineError extends Error {}
export class AuthError extends Error {}
export class HttpError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

function csrf() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export async function call(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      redirect: "manual",
      headers: {
        Accept: "application/json",
        "Accept-Language": language(),
        ...(body !== undefined ? { "Content-Type": "application/json", "X-CSRFToken": csrf() } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new OfflineError("offline");
  }
  if (response.status === 401 || response.type === "opaqueredirect") throw new AuthError("auth");
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.status === 403 && data && data.code === "forbidden") throw new HttpError(403, data);
  if (response.status === 403) throw new AuthError("auth");
  if (!response.ok) throw new HttpError(response.status, data);
  return data;
}

export const get = (path) => call("GET", path);
export const post = (path, body) => call("POST", path, body);
