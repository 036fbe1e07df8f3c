// Shared logic of the public pages (no account): the authority the page is about, small
// formatting helpers, and hashing in the browser so a reader can check a draw or a document
// without trusting this page.
import { computed, ref } from 'vue'
import { useRouter, type RouteLocationRaw } from 'vue-router'
import { api, asProblem, problemText } from '@/api/client'
import { label } from '@/api/dictionaries'

export interface PublicAuthority {
  id: string
  name: string
}

const authorities = ref<PublicAuthority[] | null>(null)
const authoritiesError = ref('')
let pending: Promise<PublicAuthority[]> | null = null

/** The authorities that take tip-offs and publish (GET /api/v1/public/authorities), once. */
export function loadAuthorities(): Promise<PublicAuthority[]> {
  if (authorities.value) return Promise.resolve(authorities.value)
  pending ??= (async () => {
    try {
      const { data, error, response } = await api.GET('/api/v1/public/authorities')
      if (!data) {
        authoritiesError.value = problemText(asProblem(error, response.status))
        return []
      }
      authorities.value = data.map((a) => ({ id: a.id ?? '', name: a.name ?? '' }))
      authoritiesError.value = ''
      return authorities.value
    } catch {
      authoritiesError.value = '网络不可用，请稍后重试'
      return []
    } finally {
      pending = null
    }
  })()
  return pending
}

export { authorities, authoritiesError }

const REMEMBERED = 'anjian.public.authority'

function remembered(): string {
  try {
    return localStorage.getItem(REMEMBERED) ?? ''
  } catch {
    return ''
  }
}

function remember(id: string): void {
  try {
    localStorage.setItem(REMEMBERED, id) // which authority, nothing personal
  } catch {
    /* private mode: the URL still carries it */
  }
}

/**
 * The authority a public page is about: from the URL (a poster's link), else the one chosen last
 * time, else the only one there is. Choosing another rewrites the URL, so it can be shared.
 */
export function usePageAuthority(read: () => string, to: (id: string) => RouteLocationRaw) {
  const router = useRouter()
  const id = computed(read)
  const known = computed(() => authorities.value?.find((a) => a.id === id.value) ?? null)
  const unknown = computed(() => !!id.value && !!authorities.value && !known.value)

  async function init(): Promise<void> {
    const list = await loadAuthorities()
    if (id.value) {
      if (list.some((a) => a.id === id.value)) remember(id.value)
      return
    }
    const last = remembered()
    const preset = list.find((a) => a.id === last) ?? (list.length === 1 ? list[0] : undefined)
    if (preset) await router.replace(to(preset.id))
  }

  function choose(next: string): void {
    if (!next || next === id.value) return
    remember(next)
    void router.replace(to(next))
  }

  return { id, known, unknown, init, choose }
}

/** "2026-12-06 11:21" in the reader's time zone; '' for nothing. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** "2026年12月6日" from a YYYY-MM-DD date. */
export function chineseDate(day: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day ?? '')
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : (day ?? '')
}

/** SHA-256 as lowercase hex, or null where the browser offers no Web Crypto (plain http). */
export async function sha256Hex(data: ArrayBuffer | string): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export function drawState(code: string | null | undefined): string {
  return label('draw_statuses', code)
}

/** A rate such as "0.15" as "15%". */
export function percent(rate: string | null | undefined): string {
  const n = Number(rate)
  return rate == null || Number.isNaN(n) ? '' : `${+(n * 100).toFixed(2)}%`
}
