// Who is signed in. The token lives in memory and in sessionStorage (survives a reload, not the
// closing of the tab; never localStorage, which other tabs and later users of the machine read).
import { reactive } from 'vue'

export type Role =
  | 'platform_admin'
  | 'authority_admin'
  | 'regulator'
  | 'inspector'
  | 'enterprise_admin'
  | 'enterprise_staff'

export interface SessionUser {
  id: string
  username: string
  display_name: string
  role: Role
  enterprise_id?: string | null
  authority_id?: string | null
  enterprise?: { id: string; name: string } | null
  authority?: { id: string; name: string; short_name: string } | null
}

const KEY = 'anjian.session'

interface Stored {
  token: string
  expiresAt: string
  user: SessionUser | null
}

function load(): Stored | null {
  try {
    const raw = sessionStorage.getItem(KEY)
    return raw ? (JSON.parse(raw) as Stored) : null
  } catch {
    return null
  }
}

export const session = reactive<{ token: string | null; expiresAt: string | null; user: SessionUser | null; expiredNotice: boolean }>({
  token: null,
  expiresAt: null,
  user: null,
  expiredNotice: false,
})

const stored = load()
if (stored && new Date(stored.expiresAt).getTime() > Date.now()) {
  session.token = stored.token
  session.expiresAt = stored.expiresAt
  session.user = stored.user
}

function persist(): void {
  if (session.token && session.expiresAt) {
    const value: Stored = { token: session.token, expiresAt: session.expiresAt, user: session.user }
    sessionStorage.setItem(KEY, JSON.stringify(value))
  } else {
    sessionStorage.removeItem(KEY)
  }
}

export function signIn(token: string, expiresAt: string): void {
  session.token = token
  session.expiresAt = expiresAt
  session.expiredNotice = false
  persist()
}

export function setUser(user: SessionUser): void {
  session.user = user
  persist()
}

const forgetters: Array<() => void> = []

/** Register what must be forgotten when the user signs out (caches of that user's data), so the
 * next user of the same tab never sees it. */
export function onSignOut(forget: () => void): void {
  forgetters.push(forget)
}

export function signOut(expired = false): void {
  for (const forget of forgetters) forget()
  session.token = null
  session.expiresAt = null
  session.user = null
  session.expiredNotice = expired
  persist()
}

export function isSignedIn(): boolean {
  return !!session.token && !!session.expiresAt && new Date(session.expiresAt).getTime() > Date.now()
}

export const ENTERPRISE_ROLES: Role[] = ['enterprise_admin', 'enterprise_staff']
export const REGULATOR_ROLES: Role[] = ['authority_admin', 'regulator']

/** The home of each role: where a login lands when it came from nowhere. */
export function homeOf(role: Role | undefined): string {
  if (role && ENTERPRISE_ROLES.includes(role)) return '/enterprise'
  if (role && REGULATOR_ROLES.includes(role)) return '/regulator'
  if (role === 'inspector') return '/inspector'
  return '/account'
}
