import { describe, expect, it } from 'vitest'
import { importProblems, rowLabel } from './importErrors'

describe('importProblems', () => {
  it('lists every bad cell in sheet order, one line per message', () => {
    const problems = importProblems({
      title: '数据校验失败',
      status: 422,
      errors: {
        'row 10: 风险点名称*': ['必填'],
        'row 2: 固有L': ['5 不是 LEC 法 L 的标准取值；可选：10、6、3、1、0.5、0.2、0.1'],
        'row 2: 现实C': ['评价方法为 LEC 时必填', '第二条'],
        'row 1: 风险点类型*': ['缺少必填列'],
      },
    })
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [1, '风险点类型*'],
      [2, '固有L'],
      [2, '现实C'],
      [2, '现实C'],
      [10, '风险点名称*'],
    ])
    expect(problems[1].message).toContain('5 不是 LEC 法 L 的标准取值')
  })

  it('keeps a whole-file problem and a key it does not know', () => {
    const problems = importProblems({ title: 'x', status: 422, errors: { 'row 0: ': ['文件不是有效的 .xlsx 工作簿'], file: ['没有风险点'] } })
    expect(problems).toEqual([
      { row: 0, column: '', message: '文件不是有效的 .xlsx 工作簿' },
      { row: 0, column: '', message: '没有风险点' },
    ])
    expect(importProblems(null)).toEqual([])
  })

  it('names rows in Chinese', () => {
    expect([rowLabel(0), rowLabel(1), rowLabel(7)]).toEqual(['整个文件', '第 1 行（表头）', '第 7 行'])
  })
})
