import { describe, expect, it } from 'vitest'
import { useCursorList } from './cursorList'

const ok = (items: number[], next: string | null) =>
  Promise.resolve({ data: { items, next_cursor: next }, response: new Response(null, { status: 200 }) })

describe('useCursorList', () => {
  it('replaces on a first load and appends the next page with the cursor it was given', async () => {
    const asked: (string | undefined)[] = []
    const list = useCursorList<number>((cursor) => {
      asked.push(cursor)
      return cursor === 'c2' ? ok([3], null) : ok([1, 2], 'c2')
    })
    await list.load()
    expect(list.items.value).toEqual([1, 2])
    expect(list.next.value).toBe('c2')
    await list.load(true)
    expect(list.items.value).toEqual([1, 2, 3])
    expect(list.next.value).toBeNull()
    await list.load()
    expect(list.items.value).toEqual([1, 2])
    expect(asked).toEqual([undefined, 'c2', undefined])
    expect(list.loading.value).toBe(false)
  })

  it('shows the problem the API sent, or the network message, and keeps what was shown', async () => {
    let fail: 'problem' | 'network' | null = null
    const list = useCursorList<number>(() => {
      if (fail === 'network') return Promise.reject(new TypeError('Failed to fetch'))
      if (fail === 'problem')
        return Promise.resolve({ error: { title: '无权访问', status: 403, detail: '您的角色不能这样做' }, response: new Response(null, { status: 403 }) })
      return ok([7], null)
    })
    await list.load()
    fail = 'problem'
    await list.load()
    expect(list.error.value).toBe('无权访问：您的角色不能这样做')
    expect(list.items.value).toEqual([7])
    fail = 'network'
    await list.load()
    expect(list.error.value).toBe('网络不可用，请稍后重试')
    expect(list.loading.value).toBe(false)
  })
})
