// The signed-in user's unread notification count, shared by the shell's badge, the dashboard
// and the notifications page (each keeps it current with what it has just read from the API).
import { ref } from 'vue'
import { api } from '@/api/client'
import { onSignOut } from '@/auth/session'

/** null until known. */
export const unread = ref<number | null>(null)
onSignOut(() => {
  unread.value = null
})

const PAGE = 200

/** Count the unread ones (a page of them: the badge shows "99+" long before that). */
export async function refreshUnread(): Promise<void> {
  try {
    const { data } = await api.GET('/api/v1/notifications', { params: { query: { unread: true, limit: PAGE } } })
    if (data) unread.value = data.items.length + (data.next_cursor ? 1 : 0)
  } catch {
    // The badge is a convenience: a failed count leaves the last one shown.
  }
}
