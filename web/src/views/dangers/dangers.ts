// What the hidden-danger screens share: types from the API contract, evidence upload and display,
// and the few words the dictionaries do not carry (history events that are not steps).
import { onBeforeUnmount, ref, type Ref } from 'vue'
import { asProblem, download, rawFetch, type Problem } from '@/api/client'
import { label } from '@/api/dictionaries'
import { onSignOut } from '@/auth/session'
import type { components } from '@/api/schema'

export type Danger = components['schemas']['HiddenDanger']
export type DangerEvent = components['schemas']['DangerEvent']
export type Evidence = components['schemas']['Evidence']
export type Extension = components['schemas']['Extension']
export type Plan = components['schemas']['Plan']
export type Stage = 'found' | 'rectified' | 'accepted'

/** The five-in-place plan as the form edits it (funds a number, the deadline YYYY-MM-DD). */
export interface PlanDraft {
  measures: string
  responsible_person: string
  funds: number | undefined
  deadline: string
  contingency_plan: string
}

/** A photo or document picked in a form, and how its upload went. */
export interface PickedFile {
  key: string
  file: File
  preview: string | null
  status: 'waiting' | 'uploading' | 'done' | 'failed'
  error?: string
}

export const STAGE_LABELS: Record<Stage, string> = {
  found: '隐患现场',
  rectified: '整改证据',
  accepted: '验收材料',
}

// Events that record something other than a step of the loop (steps are in danger_actions).
const EVENT_LABELS: Record<string, string> = {
  create: '登记隐患',
  update: '修改信息',
  add_evidence: '上传证据',
  mark_overdue: '逾期未改',
}

export function eventLabel(action: string | undefined): string {
  if (!action) return ''
  return EVENT_LABELS[action] ?? label('danger_actions', action)
}

export function actorLabel(kind: string | undefined): string {
  return label('danger_actor_kinds', kind)
}

/** Element Plus tag type per state: open ones warn, closed is done, cancelled is grey. */
export function stateTagType(state: string | undefined): 'primary' | 'success' | 'warning' | 'info' | 'danger' {
  switch (state) {
    case 'reported':
      return 'danger'
    case 'rectifying':
      return 'warning'
    case 'awaiting_acceptance':
      return 'primary'
    case 'closed':
      return 'success'
    default:
      return 'info'
  }
}

/** A random UUID v4; crypto.randomUUID exists only in secure contexts (not plain http on a LAN). */
export function uuid4(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

export function pick(file: File): PickedFile {
  return {
    key: uuid4(),
    file,
    preview: file.type.startsWith('image/') ? URL.createObjectURL(file) : null,
    status: 'waiting',
  }
}

/** Upload one file through the API (multipart); the API checks it by content. */
export async function uploadEvidence(dangerId: string, stage: Stage, file: File): Promise<{ evidence?: Evidence; problem?: Problem }> {
  const body = new FormData()
  body.append('file', file, file.name)
  try {
    const response = await rawFetch(`/api/v1/hidden-dangers/${dangerId}/evidence?stage=${stage}`, { method: 'POST', body })
    const data = await response.json().catch(() => null)
    if (response.ok) return { evidence: data as Evidence }
    return { problem: asProblem(data, response.status) }
  } catch {
    return { problem: asProblem(null) }
  }
}

/** The message for a failed upload: the API's field message about the file, else its title. */
export function uploadError(problem: Problem): string {
  const file = problem.errors?.file
  if (Array.isArray(file) && typeof file[0] === 'string') return file[0]
  return problem.detail || problem.title
}

/** Upload every picked file not yet stored; marks each one done or failed. True when all are done. */
export async function uploadPicked(dangerId: string, stage: Stage, files: PickedFile[]): Promise<boolean> {
  for (const item of files) {
    if (item.status === 'done') continue
    item.status = 'uploading'
    item.error = undefined
    const { problem } = await uploadEvidence(dangerId, stage, item.file)
    item.status = problem ? 'failed' : 'done'
    if (problem) item.error = uploadError(problem)
  }
  return files.every((f) => f.status === 'done')
}

const shown = new Map<string, string>()
onSignOut(() => {
  for (const url of shown.values()) URL.revokeObjectURL(url)
  shown.clear()
})

/** A URL an <img> can show: the file's bytes, streamed by the API after its scope check, as a
 * blob. Not the presigned storage link: the page's Content-Security-Policy admits images from
 * our own origin, data: and blob: only, and the API's own link needs the bearer token. */
export async function evidenceUrl(evidenceId: string): Promise<string | null> {
  const cached = shown.get(evidenceId)
  if (cached) return cached
  try {
    const file = await rawFetch(`/api/v1/evidence/${evidenceId}/content`)
    if (!file.ok) return null
    const url = URL.createObjectURL(await file.blob())
    shown.set(evidenceId, url)
    return url
  } catch {
    return null
  }
}

/** Save a stored document (a PDF) through the API's short-lived download link. A download, not
 * a new window: a window opened after an await is taken for a pop-up and blocked. */
export async function saveEvidence(evidenceId: string): Promise<Problem | null> {
  const response = await rawFetch(`/api/v1/evidence/${evidenceId}/download`)
  const data = await response.json().catch(() => null)
  if (!response.ok) return asProblem(data, response.status)
  const { url, filename } = data as { url: string; filename: string }
  if (url.startsWith('/')) return download(url, filename)
  const link = document.createElement('a')
  link.href = url // presigned: the storage answers with Content-Disposition: attachment
  link.click()
  return null
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

/** A date picker's day (local midnight) as YYYY-MM-DD, without a trip through UTC. */
export function localDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

/** Today and a day N days ahead as YYYY-MM-DD in Asia/Shanghai, the zone deadlines are in. */
export function shanghaiDay(offsetDays = 0): string {
  const d = new Date(Date.now() + offsetDays * 86_400_000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d)
}

/** True on a phone-sized screen (the enterprise layout's own breakpoint), kept up to date. */
export function useNarrow(): Ref<boolean> {
  const media = window.matchMedia('(max-width: 768px)')
  const narrow = ref(media.matches)
  const update = () => (narrow.value = media.matches)
  media.addEventListener('change', update)
  onBeforeUnmount(() => media.removeEventListener('change', update))
  return narrow
}
