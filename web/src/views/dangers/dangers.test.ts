import { afterEach, describe, expect, it, vi } from 'vitest'
import { localDay, shanghaiDay, uploadError, uuid4 } from './dangers'

describe('uuid4', () => {
  const original = crypto.randomUUID
  afterEach(() => Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true }))

  it('is a version-4 UUID, also where crypto.randomUUID is missing (plain http)', () => {
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    expect(uuid4()).toMatch(v4)
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true })
    const ids = new Set(Array.from({ length: 50 }, () => uuid4()))
    expect(ids.size).toBe(50)
    for (const id of ids) expect(id).toMatch(v4)
  })
})

describe('days', () => {
  it('reads a date picker day without a trip through UTC', () => {
    expect(localDay(new Date(2026, 0, 5))).toBe('2026-01-05')
  })

  it('counts days in Asia/Shanghai', () => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-03-31T17:30:00Z')) // 01:30 on 1 April in Shanghai
    expect(shanghaiDay()).toBe('2026-04-01')
    expect(shanghaiDay(7)).toBe('2026-04-08')
    vi.useRealTimers()
  })
})

describe('uploadError', () => {
  it("prefers the API's message about the file", () => {
    expect(uploadError({ title: '请求无效', status: 422, errors: { file: ['不是有效的 JPEG 图片'] } })).toBe('不是有效的 JPEG 图片')
    expect(uploadError({ title: '文件过大', status: 413 })).toBe('文件过大')
  })
})
