// The import's refusal as a table: every bad row and cell of the workbook, as the API reports it.
// The messages name the offending value themselves ("5 不是 LEC 法 L 的标准取值；可选：…").
import type { Problem } from '@/api/client'

export interface ImportProblem {
  /** Spreadsheet row (1 is the header row); 0 for the file as a whole. */
  row: number
  /** The template's column header ("风险点名称*"), a column letter ("L列"), or '' for the file. */
  column: string
  message: string
}

// The API keys each bad cell "row <n>: <column header>" with the list of its messages.
const KEY = /^row\s+(\d+):\s*(.*)$/

export function importProblems(problem: Problem | null | undefined): ImportProblem[] {
  if (!problem) return []
  const out: ImportProblem[] = []
  for (const [key, messages] of Object.entries(problem.errors ?? {})) {
    const found = KEY.exec(key)
    const texts = Array.isArray(messages) ? messages.map(String) : [String(messages)]
    for (const message of texts) {
      out.push(
        found
          ? { row: Number(found[1]), column: found[2], message }
          : { row: 0, column: key === 'file' ? '' : key, message },
      )
    }
  }
  // Rows in sheet order; within a row the API's (template) column order is kept.
  return out.map((p, i) => ({ p, i })).sort((a, b) => a.p.row - b.p.row || a.i - b.i).map(({ p }) => p)
}

/** "第 3 行" for a data row, "表头" for the header row, "整个文件" for the file. */
export function rowLabel(row: number): string {
  if (row === 0) return '整个文件'
  if (row === 1) return '第 1 行（表头）'
  return `第 ${row} 行`
}
