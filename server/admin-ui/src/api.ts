// The admin page's one door to the hub: the admin JSON API on the page's own origin, with the
// operator's bearer token. Every answer is parsed as unknown with the schemas of common/ before
// the page uses it; a refused token, an engine not wired (503) and any other error arrive as an
// AdminApiError with the hub's code and sentence.
import { z } from 'zod';
import { adminAnswerSchema } from '../../../common/admin-api.js';

export class AdminApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'escale.admin.token';

/** The token lives in this tab's sessionStorage only: closing the tab signs the operator out. */
export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export type Query = Record<string, string | undefined>;

function address(route: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, v);
  const qs = params.toString();
  return `/admin/${route}${qs ? `?${qs}` : ''}`;
}

async function call(token: string, method: string, route: string, query?: Query, body?: unknown): Promise<Response> {
  try {
    return await fetch(address(route, query), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (e) {
    throw new AdminApiError('UNREACHABLE', `The hub does not answer: ${(e as Error).message}`, 0);
  }
}

async function errorOf(res: Response): Promise<AdminApiError> {
  const text = await res.text();
  let parsed: z.infer<typeof adminAnswerSchema> | undefined;
  try {
    const r = adminAnswerSchema.safeParse(JSON.parse(text));
    if (r.success) parsed = r.data;
  } catch {
    // Not JSON: said below with the status.
  }
  if (parsed && !parsed.ok) return new AdminApiError(parsed.error.code, parsed.error.message, res.status);
  return new AdminApiError('HTTP_' + res.status, `The hub answered ${res.status} ${res.statusText}`, res.status);
}

/** Calls the admin API and parses its value with `schema`. */
export async function adminCall<S extends z.ZodType>(token: string, schema: S, method: string, route: string, query?: Query, body?: unknown): Promise<z.infer<S>> {
  const res = await call(token, method, route, query, body);
  if (!res.ok) throw await errorOf(res);
  const answer = adminAnswerSchema.safeParse(await res.json());
  if (!answer.success) throw new AdminApiError('BAD_ANSWER', 'The hub answered something this page cannot read.', res.status);
  if (!answer.data.ok) throw new AdminApiError(answer.data.error.code, answer.data.error.message, res.status);
  const value = schema.safeParse(answer.data.value);
  if (!value.success) {
    const issue = value.error.issues[0];
    throw new AdminApiError('BAD_ANSWER', `The hub's answer to ${route} does not have the expected shape (${issue?.path.join('.') || 'top'}: ${issue?.message}).`, res.status);
  }
  return value.data;
}

/** Downloads a document (PDF or CSV) the API sends, under the name it gives. */
export async function download(token: string, route: string, query: Query): Promise<string> {
  const res = await call(token, 'GET', route, query);
  if (!res.ok) throw await errorOf(res);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? route;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
