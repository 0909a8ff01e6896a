// How bad an alarm (or a mark of attention) is. A leaf of plain data: the kinds' definitions,
// the alarm catalogue and the dashboard all import it.
export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const
export type Severity = (typeof SEVERITIES)[number]

/** Lower is worse: critical 0 ... warning 3. */
export const rank = (s: Severity): number => SEVERITIES.indexOf(s)
export const worse = (a: Severity, b: Severity): Severity => (rank(a) <= rank(b) ? a : b)
