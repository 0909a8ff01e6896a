// What a person starting the gateway or the demo reads when it cannot start (issue #15): one
// line that says what is in the way and what to do, in Vietnamese and English, not a stack.
// Anything else is a fault of ours and keeps its stack.
import type { Config } from './config/settings.js'
import { SETTINGS, type SettingName } from './config/settings.js'
import { DataFolderInUse } from './db/data-lock.js'

const PORT_SETTINGS: SettingName[] = ['httpPort', 'mqttPort', 'mqttWsPort', 'mqttTlsPort']

/** The one-line explanation of a failure to start, or null when it is not one a person can fix. */
export function startFailure (err: unknown, config: Config): string | null {
  if (err instanceof DataFolderInUse) return err.message
  const e = err as { code?: unknown; port?: unknown; address?: unknown }
  if (typeof e.code !== 'string') return null
  const port = typeof e.port === 'number' ? e.port : null
  const setting = PORT_SETTINGS.find((name) => config[name] === port)
  const env = setting ? SETTINGS[setting].env : 'GATEWAY_*_PORT'
  switch (e.code) {
    case 'EADDRINUSE':
      return `Cổng ${port ?? '?'} đang được dùng (một gateway hoặc demo khác đang chạy?): hãy dừng nó, hoặc đặt ${env} sang cổng khác. / ` +
        `port ${port ?? '?'} is already in use (another gateway or demo running?): stop it, or set ${env} to another port`
    case 'EACCES':
      return `Không được phép mở cổng ${port ?? '?'} (cổng dưới 1024 cần quyền quản trị): đặt ${env} từ 1024 trở lên. / ` +
        `not allowed to listen on port ${port ?? '?'} (ports below 1024 need privileges): set ${env} to 1024 or above`
    case 'EADDRNOTAVAIL':
      return `Địa chỉ ${String(e.address)} không thuộc máy này: kiểm tra GATEWAY_HTTP_HOST và GATEWAY_MQTT_HOST. / ` +
        `address ${String(e.address)} is not on this machine: check GATEWAY_HTTP_HOST and GATEWAY_MQTT_HOST`
    default:
      return null
  }
}

/** Options a command does not know, in one line that says where the usage is. */
export function optionProblem (err: unknown, helpCommand: string): string {
  const first = (err as Error).message.split('. ')[0]!.replace(/\.$/, '')
  return `${first}. See: ${helpCommand}`
}
