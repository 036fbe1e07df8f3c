// The dashboard's one API call, started by the router as soon as the navigation to the
// dashboard is decided, so it runs while the view's code is still loading (on a first visit
// that code arrives last; the call then waits for nothing but itself).
import { api } from '@/api/client'
import { loadDictionaries } from '@/api/dictionaries'
import { onSignOut } from '@/auth/session'

function fetchDashboard() {
  return api.GET('/api/v1/enterprise-dashboard')
}

type Pending = { at: number; result: ReturnType<typeof fetchDashboard> }
let pending: Pending | null = null
onSignOut(() => {
  pending = null
})
// A prefetched answer older than this is asked again (the view may mount much later).
const FRESH_MS = 10_000

/** Router guard of the dashboard route: start the call and the dictionaries now. */
export function prefetchDashboard(): void {
  const result = fetchDashboard()
  result.catch(() => undefined) // the view reports failures when it takes the result
  pending = { at: Date.now(), result }
  void loadDictionaries().catch(() => undefined)
}

/** The prefetched call if it is fresh, else a new one; each prefetch is used once. */
export function takeDashboard(): ReturnType<typeof fetchDashboard> {
  const taken = pending
  pending = null
  return taken && Date.now() - taken.at < FRESH_MS ? taken.result : fetchDashboard()
}
