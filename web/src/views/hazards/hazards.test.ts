import { describe, expect, it } from 'vitest'
import { baseOfPick, errorsByRow, forAssessment, linesOf, newLine, num, pickOf, qSource, substanceOf, type Chemical, type Term } from './hazards'

const chlorine = { seq: 12, name: '氯', name_en: 'Chlorine', aliases: ['液氯', '氯气'], cas: ['7782-50-5'], critical_quantity_t: 5, table3_beta: 4, default_categories: [] } as Chemical
const methanol = { seq: 65, name: '甲醇', name_en: 'Methanol', aliases: [], cas: ['67-56-1'], critical_quantity_t: 500, table3_beta: null, default_categories: ['W5.3'] } as Chemical
const chemicals = [chlorine, methanol]

describe('num', () => {
  it('prints numbers as the standard does', () => {
    expect(num(400)).toBe('400')
    expect(num(0.2)).toBe('0.2')
    expect(num(12.3456)).toBe('12.3456')
    expect(num(null)).toBe('—')
  })
})

describe('inventory lines', () => {
  it('finds the Table 1 row by name, alias or CAS, else the stated category', () => {
    expect(pickOf({ name: '液氯' }, chemicals)).toBe('c:12')
    expect(pickOf({ cas: '67-56-1' }, chemicals)).toBe('c:65')
    expect(pickOf({ category: 'W5.3' }, chemicals)).toBe('t:W5.3')
    expect(pickOf({ name: '未知物' }, chemicals)).toBeNull()
  })

  it('keeps a loaded substance exactly as it was sent, so an unchanged unit stays unchanged', () => {
    const stored = [{ name: '液氯', quantity_t: 250 }, { cas: '67-56-1', category: 'W5.3', quantity_t: 12.5 }]
    const lines = linesOf(stored as never, chemicals)
    expect(lines.map(substanceOf)).toEqual(stored)
  })

  it('sends a new pick by its canonical name or category symbol', () => {
    expect(baseOfPick('c:12', chemicals)).toEqual({ name: '氯' })
    expect(baseOfPick('t:J1', chemicals)).toEqual({ category: 'J1' })
  })

  it('assesses the complete lines only and maps the API indexes back to the rows', () => {
    const empty = newLine()
    const full = { ...newLine(), pick: 'c:12', base: { name: '氯' }, quantity: -1 }
    const { substances, rows } = forAssessment([empty, full])
    expect(substances).toEqual([{ name: '氯', quantity_t: -1 }])
    expect(rows).toEqual([1])
    expect(errorsByRow({ 'substances.0.quantity_t': '数量不能为负数', exposed_population: 'x' }, rows)).toEqual({
      'substances.1.quantity_t': '数量不能为负数',
      exposed_population: 'x',
    })
  })
})

describe('explanations', () => {
  it('names the table Q came from', () => {
    expect(qSource({ index: 0, q_source: 'table1', table1_seq: 12 } as Term)).toBe('表1 第12项')
    expect(qSource({ index: 0, q_source: 'table2', q_category: 'W5.3' } as Term)).toBe('表2 W5.3类')
  })
})
