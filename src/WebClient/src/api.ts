import { accessToken, clearSession, currentSession, saveSession } from "./session";
import type { Attachment, AuthResult } from "./types";

/** An error answer of the API: `{"error": {"code", "message"}}`, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const base = "/api/v1";

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = await response.json();
    return new ApiError(response.status, body.error?.code ?? "ERROR", body.error?.message ?? response.statusText);
  } catch {
    return new ApiError(response.status, "ERROR", response.statusText || `HTTP ${response.status}`);
  }
}

async function send(method: string, path: string, body: unknown, token: string | null): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  try {
    return await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, "NETWORK", "Chat cannot be reached.");
  }
}

/** A call with the session's token; a 401 refreshes the token once and tries again. */
export async function api<T = void>(method: string, path: string, body?: unknown): Promise<T> {
  let response = await send(method, path, body, await accessToken());
  if (response.status === 401) {
    response = await send(method, path, body, await accessToken(true));
  }

  if (!response.ok) throw await errorOf(response);
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

export async function signIn(path: "login" | "register", body: object): Promise<void> {
  const response = await send("POST", `/auth/${path}`, body, null);
  if (!response.ok) throw await errorOf(response);
  saveSession((await response.json()) as AuthResult);
}

export async function signOut(refreshToken: string): Promise<void> {
  try {
    await send("POST", "/auth/logout", { refreshToken }, null);
  } finally {
    clearSession();
  }
}

const tickets = new Map<string, Promise<{ url: string; expiresAt: number }>>();

/**
 * A download route's URL usable in `img src` and download links, which cannot send headers: the route with a
 * short-lived ticket for that one file (`POST /tickets`), kept until a minute before it expires.
 */
export async function downloadUrl(url: string): Promise<string> {
  const key = `${currentSession()?.user.id}|${url}`;
  const cached = await tickets.get(key)?.catch(() => null);
  if (cached && cached.expiresAt - Date.now() > 60_000) return cached.url;
  const fresh = api<{ url: string; expiresAt: string }>("POST", "/tickets", { url }).then((t) => ({ url: t.url, expiresAt: Date.parse(t.expiresAt) }));
  tickets.set(key, fresh);
  fresh.catch(() => tickets.delete(key));
  return (await fresh).url;
}

export type Progress = (sent: number, total: number) => void;

const resumableFrom = 8 * 1024 * 1024;

/** Uploads a file into a conversation: one request for small files, resumable chunks for large ones. */
export async function upload(conversationId: string, file: File, progress: Progress): Promise<Attachment> {
  if (file.size < resumableFrom) {
    const form = new FormData();
    form.append("conversationId", conversationId);
    form.append("file", file, file.name);
    return JSON.parse(await xhr("POST", "/attachments", form, progress)) as Attachment;
  }

  const { uploadId, chunkSize } = await api<{ uploadId: string; chunkSize: number }>("POST", "/uploads", {
    conversationId,
    fileName: file.name,
    contentType: file.type || "application/octet-stream",
    size: file.size,
  });
  for (let index = 0, offset = 0; offset < file.size; index++, offset += chunkSize) {
    const chunk = file.slice(offset, Math.min(offset + chunkSize, file.size));
    await retrying(() => xhr("PUT", `/uploads/${uploadId}/chunks/${index}`, chunk, (sent) => progress(offset + sent, file.size)));
  }

  return api<Attachment>("POST", `/uploads/${uploadId}/complete`, {});
}

async function retrying<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      // Re-sending a chunk is harmless (API.md); give a dropped connection a few chances before failing.
      if (tries >= 4 || (error instanceof ApiError && error.status >= 400 && error.status < 500)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * tries));
    }
  }
}

/** XMLHttpRequest rather than fetch: only it reports upload progress. */
async function xhr(method: string, path: string, body: XMLHttpRequestBodyInit, progress: Progress): Promise<string> {
  const token = await accessToken();
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(method, base + path);
    request.setRequestHeader("Authorization", `Bearer ${token}`);
    request.upload.onprogress = (e) => progress(e.loaded, e.total);
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        resolve(request.responseText);
        return;
      }

      let message = request.statusText;
      let code = "ERROR";
      try {
        ({ code, message } = JSON.parse(request.responseText).error);
      } catch {
        // not the API's error body
      }
      reject(new ApiError(request.status, code, message));
    };
    request.onerror = () => reject(new ApiError(0, "NETWORK", "The upload was interrupted."));
    request.send(body);
  });
}
