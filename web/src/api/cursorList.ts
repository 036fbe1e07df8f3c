// A list read page by page with the API's cursor pagination (`items`, `next_cursor`): the first
// page replaces what is shown, "more" appends the next one; failures become one Chinese line.
import { ref, type Ref } from 'vue'
import { asProblem, problemText } from './client'

interface Page<T> {
  items: T[]
  next_cursor?: string | null
}

type FetchPage<T> = (cursor: string | undefined) => Promise<{ data?: Page<T>; error?: unknown; response: Response }>

export function useCursorList<T>(fetchPage: FetchPage<T>) {
  const items = ref([]) as Ref<T[]>
  const next = ref<string | null>(null)
  const loading = ref(false)
  const error = ref('')

  async function load(more = false): Promise<void> {
    loading.value = true
    error.value = ''
    try {
      const { data, error: problem, response } = await fetchPage(more && next.value ? next.value : undefined)
      if (!data) {
        error.value = problemText(asProblem(problem, response.status))
        return
      }
      items.value = more ? [...items.value, ...data.items] : data.items
      next.value = data.next_cursor ?? null
    } catch {
      error.value = '网络不可用，请稍后重试'
    } finally {
      loading.value = false
    }
  }

  return { items, next, loading, error, load }
}
