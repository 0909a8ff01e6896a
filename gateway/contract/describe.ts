import type { z } from 'zod'

/** Zod issues as short lines a person can act on: "reservoir.alarmLevels: level2M must be above level1M". */
export function describeIssues (error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.')
    return path ? `${path}: ${issue.message}` : issue.message
  })
}
