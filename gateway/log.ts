import { pino, type Logger } from 'pino'

export type { Logger }

/** The root logger; each part takes a child with its own `module` binding. */
export function createLogger (level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { service: 'gateway' } }, destination ?? process.stdout)
}
