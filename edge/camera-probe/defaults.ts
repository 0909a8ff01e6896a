// Factory credentials of the cameras communes buy. QCVN 135:2024/BTTTT (mandatory for IP
// cameras from 1 January 2026) requires a unique password per device: a camera still on
// one of these is flagged `defaultPassword: true`.
//
// The probe flags the credentials it was given; it does not try these passwords on
// cameras configured with other ones: Hikvision and Dahua lock an account after a few
// wrong logins, and a probe that locked the police out of their own cameras every 30 s
// would be worse than the flaw it looks for.
import type { Credentials } from './http-auth.js'

/** username → factory passwords (lists published by the makers and by Mirai-era scanners). */
export const FACTORY_DEFAULTS: Readonly<Record<string, readonly string[]>> = {
  admin: ['', 'admin', '12345', '123456', '1234', '888888', '666666', '54321', '9999', 'password', 'admin123', 'Admin123', '1111', '11111111'],
  root: ['', 'root', 'pass', '12345', 'ikwd', 'vizxv', 'xc3511'],
  '888888': ['888888'],
  '666666': ['666666'],
  supervisor: ['supervisor'],
  user: ['user', ''],
  guest: ['guest', '']
}

export function isFactoryDefault (creds: Credentials | null): boolean {
  if (!creds) return true // no password at all is the weakest default
  return FACTORY_DEFAULTS[creds.username.toLowerCase()]?.includes(creds.password) ?? false
}
