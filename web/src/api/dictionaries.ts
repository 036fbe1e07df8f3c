// The API's dictionaries (GET /api/v1/dictionaries): codes, Chinese labels and order of every
// enumeration the forms offer. Fetched once per page load; every dropdown is built from it.
import { ref } from 'vue'
import { api } from './client'

export interface DictionaryEntry {
  code: string
  label: string
  order: number
  [extra: string]: unknown
}

export type Dictionaries = Record<string, DictionaryEntry[]>

const loaded = ref<Dictionaries | null>(null)
let pending: Promise<Dictionaries> | null = null

export function loadDictionaries(): Promise<Dictionaries> {
  if (loaded.value) return Promise.resolve(loaded.value)
  pending ??= (async () => {
    try {
      // Typed loosely on purpose: the dictionary names are data, not API shape.
      const { data } = await (api.GET as (path: string) => Promise<{ data?: { dictionaries: Dictionaries } }>)(
        '/api/v1/dictionaries',
      )
      // Only a real answer is kept: after a failure the next caller asks again.
      if (data?.dictionaries) loaded.value = data.dictionaries
      return data?.dictionaries ?? {}
    } finally {
      pending = null
    }
  })()
  return pending
}

/** Reactive access: `dicts.value?.sectors`. Call loadDictionaries() in the view's setup. */
export const dictionaries = loaded

/** The Chinese label of `code` in dictionary `name` (the code itself while loading/unknown). */
export function label(name: string, code: string | null | undefined): string {
  if (code == null) return ''
  return loaded.value?.[name]?.find((e) => e.code === code)?.label ?? code
}

/** Entries of `name`, sorted by their order. */
export function options(name: string): DictionaryEntry[] {
  return [...(loaded.value?.[name] ?? [])].sort((a, b) => a.order - b.order)
}
