// The few ONVIF calls the probe needs, as SOAP 1.2 over HTTP (ONVIF Core Specification):
// GetSystemDateAndTime (clock drift; unauthenticated by the spec, §5.9.1), GetDeviceInformation
// (model, firmware), GetServices (where the recording service lives) and, when there is one,
// GetRecordingJobs (is a recording job active), and, for a camera whose snapshot URL was not
// given, the media service's GetProfiles and GetSnapshotUri (ONVIF Media Service §5.16.1).
//
// Authentication is the WS-Security UsernameToken with PasswordDigest that ONVIF requires:
// Base64(SHA-1(nonce + created + password)). Cameras refuse a token whose Created is far
// from their own clock, so Created is written in the camera's time, as learnt from
// GetSystemDateAndTime: a camera whose clock is off is still reachable, and its drift reported.
//
// Hand-written rather than the `onvif` npm package: that one brings discovery, PTZ and
// events on callbacks, and its XML parser, for four calls whose answers we read a few
// elements from. Reading by local name (any namespace prefix) is what cameras need:
// every brand picks its own prefixes.
import { createHash, randomBytes } from 'node:crypto'
import type { Credentials } from './http-auth.js'

export type OnvifFailure = 'unreachable' | 'timeout' | 'auth_failed' | 'protocol_error'

export class OnvifError extends Error {
  constructor (readonly failure: OnvifFailure, message: string) {
    super(message)
    this.name = 'OnvifError'
  }
}

export const NS = {
  device: 'http://www.onvif.org/ver10/device/wsdl',
  recording: 'http://www.onvif.org/ver10/recording/wsdl',
  media: 'http://www.onvif.org/ver10/media/wsdl'
} as const

/** The text of the first element with this local name, whatever its prefix. */
export function xmlText (xml: string, localName: string): string | undefined {
  const m = new RegExp(`<(?:[\\w-]+:)?${localName}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w-]+:)?${localName}>`).exec(xml)
  return m?.[1]?.trim()
}

/** PasswordDigest of the UsernameToken profile 1.0, §3.1. */
export function passwordDigest (nonce: Buffer, created: string, password: string): string {
  return createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created + password, 'utf8')])).digest('base64')
}

function envelope (body: string, creds: Credentials | null, cameraNowMs: number): string {
  let security = ''
  if (creds) {
    const nonce = randomBytes(16)
    const created = new Date(cameraNowMs).toISOString().replace(/\.\d{3}Z$/, 'Z')
    security = '<s:Header><Security s:mustUnderstand="1" xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">' +
      `<UsernameToken><Username>${escapeXml(creds.username)}</Username>` +
      '<Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">' +
      `${passwordDigest(nonce, created, creds.password)}</Password>` +
      `<Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</Nonce>` +
      `<Created xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">${created}</Created>` +
      '</UsernameToken></Security></s:Header>'
  }
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">${security}<s:Body>${body}</s:Body></s:Envelope>`
}

const escapeXml = (s: string): string => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)

export interface OnvifInfo {
  manufacturer?: string
  model?: string
  firmware?: string
  /** Camera clock minus gateway clock, seconds (positive: the camera is ahead). */
  clockDriftS: number
  /** true/false when the camera has a recording service; undefined when it does not say. */
  recording?: boolean
  /** Where the camera's snapshot is, when asked for (no snapshot URL configured) and it has one. */
  snapshotUri?: string
}

export class OnvifClient {
  /** Camera clock minus ours, ms; learnt by `systemTime`, used to date the UsernameToken. */
  private offsetMs = 0

  constructor (private readonly url: string, private readonly creds: Credentials | null, private readonly signal: AbortSignal) {}

  async call (url: string, body: string, authenticate: boolean): Promise<string> {
    let res: Response
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/soap+xml; charset=utf-8' },
        body: envelope(body, authenticate ? this.creds : null, Date.now() + this.offsetMs),
        signal: this.signal
      })
    } catch (err) {
      if (this.signal.aborted) throw new OnvifError('timeout', 'ONVIF: no answer within the probe deadline')
      throw new OnvifError('unreachable', `ONVIF: ${(err as Error).message}`)
    }
    const text = await res.text().catch(() => '')
    if (res.ok) return text
    // ONVIF Core §5.11.2.1: a refused token is a Sender fault with subcode ter:NotAuthorized.
    if (res.status === 401 || /NotAuthorized/.test(text)) throw new OnvifError('auth_failed', 'ONVIF: credentials refused')
    throw new OnvifError('protocol_error', `ONVIF: HTTP ${res.status} ${xmlText(text, 'Text') ?? ''}`.trim())
  }

  /** Camera clock minus ours, seconds, from the midpoint of the request (1 s resolution on the wire). */
  async clockDrift (): Promise<number> {
    const before = Date.now()
    const xml = await this.call(this.url, `<GetSystemDateAndTime xmlns="${NS.device}"/>`, false)
    const after = Date.now()
    const utc = xmlText(xml, 'UTCDateTime')
    const part = (name: string): number => Number(xmlText(utc ?? '', name))
    if (!utc) throw new OnvifError('protocol_error', 'ONVIF: GetSystemDateAndTime has no UTCDateTime')
    const cameraMs = Date.UTC(part('Year'), part('Month') - 1, part('Day'), part('Hour'), part('Minute'), part('Second'))
    if (!Number.isFinite(cameraMs)) throw new OnvifError('protocol_error', 'ONVIF: unreadable UTCDateTime')
    // The camera's seconds are truncated: its true time is on average half a second later.
    this.offsetMs = cameraMs + 500 - (before + after) / 2
    return Math.round(this.offsetMs / 1000)
  }

  async deviceInformation (): Promise<Pick<OnvifInfo, 'manufacturer' | 'model' | 'firmware'>> {
    const xml = await this.call(this.url, `<GetDeviceInformation xmlns="${NS.device}"/>`, true)
    return { manufacturer: xmlText(xml, 'Manufacturer'), model: xmlText(xml, 'Model'), firmware: xmlText(xml, 'FirmwareVersion') }
  }

  private services?: Promise<string>
  /** The address of one of the camera's services (GetServices, asked once per probe). */
  private async serviceUrl (namespace: string): Promise<string | undefined> {
    this.services ??= this.call(this.url, `<GetServices xmlns="${NS.device}"><IncludeCapability>false</IncludeCapability></GetServices>`, true)
    for (const m of (await this.services).matchAll(/<(?:[\w-]+:)?Service>([\s\S]*?)<\/(?:[\w-]+:)?Service>/g)) {
      if (xmlText(m[1]!, 'Namespace') === namespace) return xmlText(m[1]!, 'XAddr')
    }
    return undefined
  }

  /** Whether a recording job is active; undefined when the camera has no recording service. */
  async recording (): Promise<boolean | undefined> {
    const recordingUrl = await this.serviceUrl(NS.recording)
    if (!recordingUrl) return undefined
    const jobs = await this.call(recordingUrl, `<GetRecordingJobs xmlns="${NS.recording}"/>`, true)
    const modes = [...jobs.matchAll(/<(?:[\w-]+:)?Mode>\s*(\w+)\s*<\//g)].map((m) => m[1])
    return modes.length === 0 ? false : modes.includes('Active')
  }

  /**
   * The first media profile's snapshot URI; undefined when the camera has no media service or
   * profile. Only on the ONVIF address's own host: a camera behind NAT names its inner address
   * (its path is kept), and a camera may not send the probe, with its credentials, elsewhere.
   */
  async snapshotUri (): Promise<string | undefined> {
    const mediaUrl = await this.serviceUrl(NS.media)
    if (!mediaUrl) return undefined
    const profiles = await this.call(onHostOf(this.url, mediaUrl), `<GetProfiles xmlns="${NS.media}"/>`, true)
    const token = /<(?:[\w-]+:)?Profiles\b[^>]*\btoken="([^"]+)"/.exec(profiles)?.[1]
    if (!token) return undefined
    const answer = await this.call(onHostOf(this.url, mediaUrl), `<GetSnapshotUri xmlns="${NS.media}"><ProfileToken>${escapeXml(token)}</ProfileToken></GetSnapshotUri>`, true)
    const uri = xmlText(answer, 'Uri')?.replaceAll('&amp;', '&')
    return uri ? onHostOf(this.url, uri) : undefined
  }
}

/** `address` moved onto the host and port of `onvifUrl` (same path and query, no login inside); only http(s). */
export function onHostOf (onvifUrl: string, address: string): string {
  const given = new URL(address)
  if (given.protocol !== 'http:' && given.protocol !== 'https:') throw new OnvifError('protocol_error', 'ONVIF: a service address that is not http(s)')
  const own = new URL(onvifUrl)
  if (given.host !== own.host) { given.protocol = own.protocol; given.host = own.host }
  given.username = ''
  given.password = ''
  return given.toString()
}

/** Everything ONVIF tells about one camera. The clock comes first: the token is dated by it. */
export async function askOnvif (url: string, creds: Credentials | null, signal: AbortSignal, options: { snapshotUri?: boolean } = {}): Promise<OnvifInfo> {
  const client = new OnvifClient(url, creds, signal)
  const clockDriftS = await client.clockDrift()
  const info = await client.deviceInformation()
  // Recording is optional in ONVIF (Profile G): a camera that does not answer it is not at fault.
  const recording = await client.recording().catch((err: unknown) => {
    if (err instanceof OnvifError && (err.failure === 'timeout' || err.failure === 'unreachable')) throw err
    return undefined
  })
  // Optional too (Profile S has it, not every camera answers it): no URI is no snapshot, not a fault.
  const snapshotUri = options.snapshotUri ? await client.snapshotUri().catch((err: unknown) => {
    if (err instanceof OnvifError && (err.failure === 'timeout' || err.failure === 'unreachable' || err.failure === 'auth_failed')) throw err
    return undefined
  }) : undefined
  return { ...info, clockDriftS, recording, ...(snapshotUri ? { snapshotUri } : {}) }
}
