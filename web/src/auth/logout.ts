// Signing out: the server revokes the token (best effort: an unreachable server must not keep
// the user signed in here), then this tab forgets the session and lands on the login page.
import type { Router } from 'vue-router'
import { api } from '@/api/client'
import { signOut } from './session'

export async function logout(router: Router): Promise<void> {
  await api.DELETE('/api/v1/auth/token').catch(() => undefined)
  signOut()
  await router.push('/login')
}
