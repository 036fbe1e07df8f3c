// The one typed API client. Every call goes through here: the types come from openapi.yaml
// (src/api/schema.d.ts, generated; a test fails when it drifts), so no view writes a URL the
// API does not have.
import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema'
import { isSignedIn, session, signOut } from '@/auth/session'

/** RFC 9457 problem details, as every API error carries them (in Chinese). */
export interface Problem {
  type?: string
  title: string
  status: number
  detail?: string
  errors?: Record<string, unknown>
}

let onExpired: (() => void) | null = null

/** The router registers what to do when the token has expired: back to the login page. */
export function whenSessionExpires(handler: () => void): void {
  onExpired = handler
}

const auth: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', 'zh-CN')
    // An expired token is not sent: the server would answer 401 even on public routes and on
    // the login itself.
    const login = new URL(request.url).pathname === '/api/v1/auth/token' && request.method === 'POST'
    if (isSignedIn() && !login && !request.headers.has('Authorization')) {
      request.headers.set('Authorization', `Bearer ${session.token}`)
    }
    return request
  },
  onResponse({ request, response }) {
    // A 401 on an authenticated call means the token expired or was revoked (not a bad login).
    if (response.status === 401 && request.headers.has('Authorization') && session.token) {
      signOut(true)
      onExpired?.()
    }
    return response
  },
}

export const api = createClient<paths>({ baseUrl: '' })
api.use(auth)

/** A problem from an error body, whatever the server sent. */
export function asProblem(error: unknown, status = 0): Problem {
  if (error && typeof error === 'object' && 'title' in error) return error as Problem
  return { title: status ? `请求失败（${status}）` : '网络不可用，请稍后重试', status }
}

/** Field → first message, for Element Plus form items (`:error`). Nested paths joined by dots. */
export function fieldErrors(problem: Problem | null | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (value: unknown, prefix: string) => {
    if (Array.isArray(value)) {
      if (value.every((v) => typeof v === 'string')) {
        if (value.length) out[prefix] = value.join('；')
      } else {
        value.forEach((v, i) => walk(v, prefix ? `${prefix}.${i}` : String(i)))
      }
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k)
    } else if (typeof value === 'string') {
      out[prefix] = value
    }
  }
  walk(problem?.errors ?? {}, '')
  return out
}

/** One line to show in a message box. */
export function problemText(problem: Problem): string {
  // A detail that only repeats the title ("输入有误：输入有误") is said once.
  return problem.detail && problem.detail !== problem.title ? `${problem.title}：${problem.detail}` : problem.title
}

/** Raw fetch for what openapi-fetch does not model well (multipart, file downloads). */
export async function rawFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('Accept-Language', 'zh-CN')
  if (isSignedIn()) headers.set('Authorization', `Bearer ${session.token}`)
  const response = await fetch(url, { ...init, headers })
  if (response.status === 401 && session.token) {
    signOut(true)
    onExpired?.()
  }
  return response
}

/** Save a download (xlsx export, template) that needs the bearer token. */
export async function download(url: string, filename: string): Promise<Problem | null> {
  const response = await rawFetch(url)
  if (!response.ok) return asProblem(await response.json().catch(() => null), response.status)
  const blob = await response.blob()
  const link = document.createElement('a')
  link.href = URL.createObjectURL(blob)
  link.download = filename
  link.click()
  URL.revokeObjectURL(link.href)
  return null
}
