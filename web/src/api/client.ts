/** A failed API call, with the server's own message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorJson {
  error?: { code?: unknown; message?: unknown };
  code?: unknown;
  message?: unknown;
}

/** Reads `{error:{code,message}}` (or a flat `{code,message}`) from an error response body. */
export function errorFromBody(status: number, text: string): ApiError {
  let code = `HTTP_${status}`;
  let message = text.trim() || `The server answered ${status}`;
  try {
    const json = JSON.parse(text) as ErrorJson;
    const inner = json.error ?? json;
    if (typeof inner.code === 'string') code = inner.code;
    if (typeof inner.message === 'string') message = inner.message;
  } catch {
    // not JSON: keep the text
  }
  return new ApiError(status, code, message);
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'Cannot reach the server. Check your connection.';
  if (error instanceof Error) return error.message;
  return String(error);
}

export const sessionEndedEvent = 'pixelunion:session-ended';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function request<T>(method: Method, url: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: {} };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  if (!response.ok) {
    // A session that expired while the app was open: the sign-in page takes over.
    if (response.status === 401 && !url.startsWith('/api/auth/') && url !== '/api/users/me') {
      window.dispatchEvent(new Event(sessionEndedEvent));
    }
    throw errorFromBody(response.status, await response.text());
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

export const api = {
  get: <T>(url: string) => request<T>('GET', url),
  post: <T>(url: string, body?: unknown) => request<T>('POST', url, body ?? {}),
  put: <T>(url: string, body: unknown) => request<T>('PUT', url, body),
  patch: <T>(url: string, body: unknown) => request<T>('PATCH', url, body),
  delete: <T>(url: string, body?: unknown) => request<T>('DELETE', url, body),
};
