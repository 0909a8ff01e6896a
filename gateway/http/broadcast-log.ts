// GET /api/broadcast-log: the broadcast log (nhật ký phát) as JSON, as CSV that opens cleanly
// in a spreadsheet (UTF-8 byte-order mark, CRLF, quoted and defused cells), or as a printable
// page for the commune's paper file; per period (`from`, `to`: local days or epoch ms) or per
// bulletin (`broadcast`); Vietnamese, or English with `lang=en`.
import { Router } from 'express'
import { z } from 'zod'
import { actorWords, airings, LOG_WORDS, localDayStart, localTime, logCells, PRIORITY_WORDS, type AiringRecord } from '../broadcasts/log-record.js'
import { OUTCOME_WORDS, type Lang } from '../broadcasts/outcome.js'
import type { BroadcastStore, LogRow } from '../broadcasts/store.js'
import { allow } from './access.js'
import { BroadcastLogAnswer } from './answers.js'
import { doc } from './describe.js'
import { csvCell } from './csv.js'
import { parse } from './parse.js'

const DAY_MS = 86_400_000
/** Epoch ms, or a local day (YYYY-MM-DD, Asia/Ho_Chi_Minh). */
const When = z.union([
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD').refine((d) => Number.isFinite(localDayStart(d)), 'no such day').transform((d) => ({ day: localDayStart(d) })),
  z.coerce.number().int().nonnegative()
])
const LogQuery = z.strictObject({
  from: When.optional(),
  /** A day is included whole. */
  to: When.optional(),
  broadcast: z.string().uuid().optional(),
  format: z.enum(['json', 'csv', 'html']).default('json'),
  lang: z.enum(['vi', 'en']).default('vi')
})

export function broadcastLogRoutes (deps: { broadcastStore: BroadcastStore; commune: string }): Router {
  const router = Router()
  // Nhật ký phát: what played where, when, for how long, sent and approved by whom.
  router.get('/broadcast-log', allow('broadcasts.read'), doc({ summary: 'The broadcast log (nhật ký phát): JSON, CSV or a printable page', query: LogQuery, answers: [{ status: 200, json: BroadcastLogAnswer, media: ['text/csv', 'text/html'] }], stable: true }), (req, res) => {
    const q = parse(LogQuery, req.query, 'query')
    const to = q.to === undefined ? (q.broadcast ? Number.MAX_SAFE_INTEGER : Date.now()) : typeof q.to === 'number' ? q.to : q.to.day + DAY_MS
    const from = q.from === undefined ? (q.broadcast ? 0 : to - 30 * DAY_MS) : typeof q.from === 'number' ? q.from : q.from.day
    const rows = deps.broadcastStore.log({ from, to, ...(q.broadcast ? { broadcastId: q.broadcast } : {}) })
    const name = `nhat-ky-phat-${q.broadcast ? q.broadcast.slice(0, 8) : `${localTime(from).slice(0, 10)}_${localTime(Math.min(to, Date.now()) - 1).slice(0, 10)}`.replace(/\//g, '-')}`
    if (q.format === 'json') return res.json(rows)
    if (q.format === 'csv') {
      const lines = [LOG_WORDS[q.lang].columns, ...rows.map((r) => logCells(r, q.lang))].map((cells) => cells.map(csvCell).join(','))
      // The byte-order mark makes spreadsheet programs read the Vietnamese as UTF-8.
      return res.type('text/csv; charset=utf-8').attachment(`${name}.csv`).send('\ufeff' + lines.join('\r\n') + '\r\n')
    }
    // One bulletin's page covers its airings, from the first to the last cluster's end.
    const period = q.broadcast && rows.length > 0 && q.from === undefined
      ? { from: rows[0]!.airingAt, to: Math.max(...rows.map((r) => r.finishedAt ?? r.updatedAt)) }
      : { from, to: Math.min(to, Date.now()) }
    res.type('text/html; charset=utf-8').send(printable(rows, { ...period, lang: q.lang, commune: deps.commune }))
  })
  return router
}

const esc = (s: string | number): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** A page for the paper file: per airing, how it went and each cluster; signature lines at the end. */
function printable (rows: readonly LogRow[], o: { from: number; to: number; lang: Lang; commune: string }): string {
  const w = LOG_WORDS[o.lang]
  const section = (a: AiringRecord) => `
  <section>
    <h2>${esc(a.title)} <small>· ${esc(PRIORITY_WORDS[a.priority][o.lang])} · ${esc(localTime(a.airingAt))}</small></h2>
    <p class="outcome ${a.outcome}"><strong>${esc(OUTCOME_WORDS[a.outcome][o.lang])}</strong>: ${esc(a.line)}. ${esc(w.author)}: ${esc(actorWords(a.createdBy, o.lang))} · ${esc(w.approver)}: ${esc(a.approvedBy === null ? '—' : actorWords(a.approvedBy, o.lang))}</p>
    <table><thead><tr>${[4, 5, 6, 7, 8, 10, 11, 12].map((i) => `<th>${esc(w.columns[i]!)}</th>`).join('')}</tr></thead>
    <tbody>${a.rows.map((r) => { const c = logCells(r, o.lang); return `<tr class="${r.state}">${[4, 5, 6, 7, 8, 10, 11, 12].map((i) => `<td>${esc(c[i]!)}</td>`).join('')}</tr>` }).join('')}</tbody></table>
  </section>`
  const list = airings(rows, o.lang)
  return `<!doctype html>
<html lang="${o.lang}"><head><meta charset="utf-8"><title>${esc(w.title)} — ${esc(o.commune)}</title>
<style>
  body { font: 12pt/1.4 "DejaVu Sans", Arial, sans-serif; margin: 2em; color: #000 }
  h1 { font-size: 16pt; text-align: center; margin: 0 } h2 { font-size: 12pt; margin: 1.2em 0 .3em } small { font-weight: normal }
  .meta { text-align: center; margin: .3em 0 1em } .hint { color: #555 }
  table { border-collapse: collapse; width: 100%; font-size: 10pt } th, td { border: 1px solid #444; padding: 2px 4px; text-align: left }
  tr.failed td, tr.expired td, tr.timed_out td { font-weight: bold } .outcome.partly_played, .outcome.not_played { border-left: 4px solid #000; padding-left: .5em }
  .signatures { display: flex; justify-content: space-around; margin-top: 3em; text-align: center } .signatures div { min-height: 6em }
  section { break-inside: avoid-page } @media print { .hint { display: none } body { margin: 0 } }
</style></head><body>
<h1>${esc(o.commune.toLocaleUpperCase('vi'))}<br>${esc(w.title.toLocaleUpperCase(o.lang))}</h1>
<p class="meta">${esc(w.period)} ${esc(localTime(o.from))} ${esc(w.to)} ${esc(localTime(o.to))} · ${esc(w.zone)} · ${esc(w.printed)} ${esc(localTime(Date.now()))}</p>
<p class="hint">${esc(w.printHint)}</p>
${list.length === 0 ? `<p>${esc(w.none)}</p>` : list.map(section).join('')}
<div class="signatures"><div><strong>${esc(w.maker)}</strong><br><em>${esc(w.sign)}</em></div><div><strong>${esc(w.confirm)}</strong><br><em>${esc(w.sign)}</em></div></div>
</body></html>`
}
