// What the hazard-source screens share: types from the API contract, the inventory lines as the
// form edits them, and the GB 18218-2018 calculation told in Chinese from the API's terms.
import type { components } from '@/api/schema'

export type HazardSource = components['schemas']['HazardSource']
export type Assessment = components['schemas']['AssessmentResult']
export type Term = components['schemas']['Term']
export type Chemical = components['schemas']['Chemical']
export type Substance = components['schemas']['Substance']

/** A number as the standard prints it: no trailing zeros (400, 0.2, 12.5). */
export function num(value: number | null | undefined): string {
  if (value == null || Number.isNaN(value)) return '—'
  return String(Number(value.toFixed(4)))
}

/** One inventory line of the form. `base` is what identifies the substance as the API got it
 * (a loaded line keeps its alias, CAS or stated category untouched, so saving an unchanged unit
 * does not change its inputs and does not make a re-evaluation due). */
export interface Line {
  key: number
  pick: string | null // 'c:<Table 1 seq>' or 't:<Table 2 symbol>'
  base: Record<string, unknown>
  quantity: number | null
}

let nextKey = 1

export function newLine(): Line {
  return { key: nextKey++, pick: null, base: {}, quantity: null }
}

/** The picker's key for a substance as stored: Table 1 by name, alias or CAS, else Table 2. */
export function pickOf(base: Record<string, unknown>, chemicals: Chemical[]): string | null {
  const name = typeof base.name === 'string' ? base.name : null
  const cas = typeof base.cas === 'string' ? base.cas : null
  const chemical =
    (name && chemicals.find((c) => c.name === name || c.aliases.includes(name))) ||
    (cas && !name && chemicals.find((c) => c.cas.includes(cas))) ||
    null
  if (chemical) return `c:${chemical.seq}`
  if (!name && !cas && typeof base.category === 'string') return `t:${base.category}`
  return null
}

export function linesOf(substances: Substance[] | undefined, chemicals: Chemical[]): Line[] {
  return (substances ?? []).map((s) => {
    const { quantity_t, ...base } = s as Record<string, unknown>
    return { key: nextKey++, pick: pickOf(base, chemicals), base, quantity: typeof quantity_t === 'number' ? quantity_t : null }
  })
}

/** What a pick sends: a Table 1 chemical by its name, a Table 2 category by its symbol. */
export function baseOfPick(pick: string, chemicals: Chemical[]): Record<string, unknown> {
  if (pick.startsWith('c:')) {
    const chemical = chemicals.find((c) => `c:${c.seq}` === pick)
    return chemical ? { name: chemical.name } : {}
  }
  return { category: pick.slice(2) }
}

export function isComplete(line: Line): boolean {
  return Object.keys(line.base).length > 0 && line.quantity != null && !Number.isNaN(line.quantity)
}

export function substanceOf(line: Line): Substance {
  return { ...line.base, quantity_t: line.quantity } as Substance
}

/** The complete lines as the calculator gets them, with each one's row in the form (the API
 * names a bad substance by its index in what it got). */
export function forAssessment(lines: Line[]): { substances: Substance[]; rows: number[] } {
  const rows: number[] = []
  const substances: Substance[] = []
  lines.forEach((line, row) => {
    if (isComplete(line)) {
      rows.push(row)
      substances.push(substanceOf(line))
    }
  })
  return { substances, rows }
}

/** API field errors of the calculator, renamed from its indexes to the form's rows. */
export function errorsByRow(errors: Record<string, string>, rows: number[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, message] of Object.entries(errors)) {
    const match = /^substances\.(\d+)\.(.+)$/.exec(key)
    if (match) {
      const row = rows[Number(match[1])]
      out[`substances.${row ?? match[1]}.${match[2]}`] = message
    } else {
      out[key] = message
    }
  }
  return out
}

/** Where Q came from, in the words of the standard's tables. */
export function qSource(term: Term): string {
  if (term.q_source === 'table1') return `表1 第${term.table1_seq ?? '?'}项`
  return `表2 ${term.q_category ?? ''}类`
}

/** Where β came from. */
export function betaSource(term: Term): string {
  if (term.beta_source === 'table3') return '表3 毒性气体校正系数'
  const stated = term.beta_category_origin === 'stated' ? '（填报的类别）' : term.beta_category ? '（该物质的默认类别）' : ''
  return `表4 ${term.beta_category ?? ''}类${stated}`
}

export function termName(term: Term, index: number): string {
  return term.name ?? (term.q_category ? `${term.q_category}类物质` : `第${index + 1}种物质`)
}

/** Σ βᵢ·qᵢ/Qᵢ, from the terms (R = α × this). */
export function sumBetaRatio(result: Assessment): number {
  return result.terms.reduce((sum, t) => sum + (t.beta_ratio ?? 0), 0)
}

/** Table 6: the band R fell in, in words. */
export function levelRule(level: number | null): string {
  switch (level) {
    case 1:
      return 'R ≥ 100'
    case 2:
      return '50 ≤ R < 100'
    case 3:
      return '10 ≤ R < 50'
    case 4:
      return 'R < 10'
    default:
      return ''
  }
}

export const LEVEL_NAMES: Record<number, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' }

export const MONITORING_LABELS: Record<string, string> = {
  continuous_monitoring: '连续监测',
  gas_detection: '可燃/有毒气体检测报警',
  emergency_shutdown: '紧急切断',
}
