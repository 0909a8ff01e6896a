// The HTTP side of the simulated cameras: ONVIF device and recording services (SOAP 1.2,
// WS-UsernameToken PasswordDigest checked against the camera's own clock, as cameras do)
// and the snapshot URL (Digest or Basic, a real JPEG of the camera's scene: scene.ts).
//   POST /onvif/{id}/device_service     GetSystemDateAndTime, GetDeviceInformation, GetServices
//   POST /onvif/{id}/recording_service  GetRecordingJobs
//   POST /onvif/{id}/media_service      GetProfiles, GetSnapshotUri (the snapshot URL below)
//   GET  /snapshot/{id}.jpg
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import { checkAuthorization } from '../../edge/camera-probe/http-auth.js'
import { NS, passwordDigest, xmlText } from '../../edge/camera-probe/onvif.js'
import type { SimCamera } from './camera.js'
import type { Scenes } from './scene.js'

/** Cameras refuse a UsernameToken created further than this from their clock. */
const TOKEN_WINDOW_MS = 5 * 60_000

const soap = (body: string): string =>
  '<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" ' +
  `xmlns:tds="${NS.device}" xmlns:trc="${NS.recording}" xmlns:trt="${NS.media}" xmlns:tt="http://www.onvif.org/ver10/schema" ` +
  `xmlns:ter="http://www.onvif.org/ver10/error"><env:Body>${body}</env:Body></env:Envelope>`

const notAuthorized = soap('<env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>ter:NotAuthorized</env:Value>' +
  '</env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">Sender not Authorized</env:Text></env:Reason></env:Fault>')

function tokenValid (xml: string, camera: SimCamera): boolean {
  const creds = camera.accepted()
  const username = xmlText(xml, 'Username')
  const password = xmlText(xml, 'Password')
  const nonce = xmlText(xml, 'Nonce')
  const created = xmlText(xml, 'Created')
  if (username !== creds.username || !password || !nonce || !created) return false
  if (Math.abs(Date.parse(created) - camera.now()) > TOKEN_WINDOW_MS) return false
  return passwordDigest(Buffer.from(nonce, 'base64'), created, creds.password) === password
}

function dateTime (ms: number): string {
  const d = new Date(ms)
  return `<tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time>` +
    `<tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date>`
}

function operation (camera: SimCamera, service: string, xml: string, base: string): { status: number; body: string } {
  const op = /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?(\w+)/.exec(xml)?.[1] ?? ''
  if (service === 'device_service' && op === 'GetSystemDateAndTime') {
    return { status: 200, body: soap('<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType>' +
      '<tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>ICT-7</tt:TZ></tt:TimeZone>' +
      `<tt:UTCDateTime>${dateTime(camera.now())}</tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`) }
  }
  if (!tokenValid(xml, camera)) return { status: 400, body: notAuthorized }
  if (service === 'device_service' && op === 'GetDeviceInformation') {
    return { status: 200, body: soap(`<tds:GetDeviceInformationResponse><tds:Manufacturer>${camera.manufacturer}</tds:Manufacturer>` +
      `<tds:Model>${camera.model}</tds:Model><tds:FirmwareVersion>${camera.firmware}</tds:FirmwareVersion>` +
      `<tds:SerialNumber>${camera.id.toUpperCase()}</tds:SerialNumber><tds:HardwareId>88</tds:HardwareId></tds:GetDeviceInformationResponse>`) }
  }
  if (service === 'device_service' && op === 'GetServices') {
    const service = (ns: string, path: string) => `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${base}/${path}</tds:XAddr>` +
      '<tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>'
    return { status: 200, body: soap(`<tds:GetServicesResponse>${service(NS.device, 'device_service')}${service(NS.recording, 'recording_service')}${service(NS.media, 'media_service')}</tds:GetServicesResponse>`) }
  }
  if (service === 'media_service' && op === 'GetProfiles') {
    return { status: 200, body: soap('<trt:GetProfilesResponse><trt:Profiles token="profile_1" fixed="true"><tt:Name>mainStream</tt:Name></trt:Profiles>' +
      '<trt:Profiles token="profile_2" fixed="true"><tt:Name>subStream</tt:Name></trt:Profiles></trt:GetProfilesResponse>') }
  }
  if (service === 'media_service' && op === 'GetSnapshotUri') {
    const snapshotUrl = base.replace(/\/onvif\/([\w-]+)$/, '/snapshot/$1.jpg')
    return { status: 200, body: soap(`<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>${snapshotUrl}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
      '<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetSnapshotUriResponse>') }
  }
  if (service === 'recording_service' && op === 'GetRecordingJobs') {
    const mode = camera.faults.recording ? 'Active' : 'Idle'
    return { status: 200, body: soap('<trc:GetRecordingJobsResponse><trc:JobItem><tt:JobToken>job0</tt:JobToken><tt:JobConfiguration>' +
      `<tt:RecordingToken>rec0</tt:RecordingToken><tt:Mode>${mode}</tt:Mode><tt:Priority>1</tt:Priority></tt:JobConfiguration>` +
      '</trc:JobItem></trc:GetRecordingJobsResponse>') }
  }
  return { status: 400, body: soap('<env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>ter:ActionNotSupported' +
    '</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">not supported</env:Text></env:Reason></env:Fault>') }
}

interface Context { cameraOf: (id: string) => SimCamera | undefined; scenes: Scenes; nonce: string; served: Map<string, number> }

async function handle (req: IncomingMessage, res: ServerResponse, { cameraOf, scenes, nonce, served }: Context): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://camera')
  const onvif = /^\/onvif\/([\w-]+)\/(device_service|recording_service|media_service)$/.exec(url.pathname)
  const snapshot = /^\/snapshot\/([\w-]+)\.jpg$/.exec(url.pathname)
  const camera = cameraOf(onvif?.[1] ?? snapshot?.[1] ?? '')
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  if (!camera) { res.writeHead(404).end(); return }
  await camera.answerDelay()

  if (onvif && req.method === 'POST') {
    const base = `http://${req.headers.host}/onvif/${camera.id}`
    const answer = operation(camera, onvif[2]!, Buffer.concat(chunks).toString('utf8'), base)
    res.writeHead(answer.status, { 'content-type': 'application/soap+xml; charset=utf-8' }).end(answer.body)
    return
  }
  if (snapshot && req.method === 'GET') {
    const ok = checkAuthorization(req.headers.authorization, camera.accepted(), 'GET', { realm: camera.realm, nonce, allowBasic: camera.auth === 'basic' })
    if (!ok) {
      const challenge = camera.auth === 'basic' ? `Basic realm="${camera.realm}"` : `Digest realm="${camera.realm}", nonce="${nonce}", qop="auth"`
      res.writeHead(401, { 'www-authenticate': challenge }).end()
      return
    }
    if (camera.faults.snapshotBroken) res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Service Unavailable</html>')
    else {
      // Each snapshot another grain of noise, as a real sensor; a stuck one, always the first.
      const n = camera.faults.snapshotStuck ? 0 : (served.get(camera.id) ?? 0) + 1
      served.set(camera.id, n)
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(await scenes.picture(camera.view(), n))
    }
    return
  }
  res.writeHead(405).end()
}

export function createOnvifServer (cameraOf: (id: string) => SimCamera | undefined, scenes: Scenes): Server {
  // One nonce per server run is enough for a simulator (a camera rotates it now and then).
  const context: Context = { cameraOf, scenes, nonce: randomBytes(12).toString('hex'), served: new Map() }
  return createServer((req, res) => {
    handle(req, res, context).catch(() => { if (!res.headersSent) res.writeHead(500).end() })
  })
}
