// What the kernel knows of a process (CPU seconds, resident and peak resident memory) and of
// the machine (CPU seconds busy, all cores).
import { readFileSync } from 'node:fs'

const TICKS_PER_S = 100 // USER_HZ on Linux

export function cpuSeconds (pid: number): number {
  // Fields after the command name (which may contain spaces, hence the last ")").
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S
}

function statusKb (pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${key}:`))
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? NaN)
}

export const rssKb = (pid: number): number => statusKb(pid, 'VmRSS')
export const peakRssKb = (pid: number): number => statusKb(pid, 'VmHWM')

/** CPU seconds the whole machine was busy (every core; idle and I/O wait aside), and in all. */
export function machineSeconds (): { busy: number; all: number } {
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in ticks.
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number)
  const all = ticks.reduce((a, b) => a + b, 0)
  return { busy: (all - ticks[3]! - ticks[4]!) / TICKS_PER_S, all: all / TICKS_PER_S }
}
