// A Ctrl+C in the terminal signals the gateway's whole process group. The programs it runs for
// its work (ffmpeg, espeak-ng) are in a group of their own (gateway/helper-process.ts), so the
// signal stops the gateway, which stops cleanly, and does not kill a helper midway: killed
// with it, a helper failed its work and the log blamed the device (the walk of issue #15's
// demo: "ffmpeg could not read the snapshot (killed by SIGINT)" for four cameras).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, expect, test } from 'vitest'
import { loopbackEnv, spawnGateway, type ChildGateway } from '../support/child-gateway.js'
import { freePort } from '../support/ports.js'

const TOKEN = 'ctrl-c-test-admin-token-0123456789'
const dataDir = mkdtempSync(join(tmpdir(), 'gw-ctrl-c-'))
let child: ChildGateway | undefined
afterAll(async () => {
  await child?.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

/** The helper programs the process runs now, with their process group. */
function helpersOf (pid: number): Array<{ pid: number; name: string; group: number }> {
  const found = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try { stat = readFileSync(`/proc/${entry}/stat`, 'utf8') } catch { continue }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
    const [, ppid, group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(ppid) === pid && (name === 'ffmpeg' || name === 'espeak-ng')) found.push({ pid: Number(entry), name, group: Number(group) })
  }
  return found
}

test('a Ctrl+C stops the gateway cleanly and kills no helper (espeak-ng, ffmpeg) in the middle of its work', { timeout: 120_000 }, async () => {
  const [mqttPort, httpPort] = [await freePort(), await freePort()]
  child = await spawnGateway(loopbackEnv({ dataDir, mqttPort, httpPort, adminToken: TOKEN }), httpPort, { ownGroup: true })
  const pid = child.process.pid!
  const text = 'Sáng mai, trạm y tế xã tiêm phòng cho trẻ em dưới năm tuổi. '.repeat(45)
  const speak = () => fetch(`http://127.0.0.1:${httpPort}/api/audio/speech`, {
    method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ text })
  }).then((res) => res.status, () => 'no answer')
  // Speak until a helper is caught at work (each runs a fraction of a second).
  const answers: Array<Promise<number | string>> = []
  let seen: ReturnType<typeof helpersOf> = []
  const deadline = Date.now() + 60_000
  while (seen.length === 0 && Date.now() < deadline) {
    answers.push(speak())
    for (let i = 0; i < 100 && seen.length === 0; i++) { seen = helpersOf(pid); if (seen.length === 0) await sleep(2) }
  }
  expect(seen.length, 'a helper caught at work').toBeGreaterThan(0)
  // Ctrl+C: SIGINT to the terminal's whole foreground group.
  const exited = new Promise<number | null>((resolve) => child!.process.once('exit', (code) => resolve(code)))
  process.kill(-pid, 'SIGINT')
  expect(await exited).toBe(0)
  await Promise.all(answers)
  expect(seen.map((h) => h.group), `process groups of ${seen.map((h) => h.name).join(', ')}`).not.toContain(pid)
  const log = child.stdout()
  expect(log).not.toMatch(/killed by SIGINT|exited with null/)
  expect(log.split('\n').filter((l) => l.includes('"level":50')), 'error lines').toEqual([])
})
