// Many simulated RTSP/ONVIF cameras behind two ports: one RTSP server, one HTTP server
// (ONVIF and snapshots). Faults are switched per camera while it runs (`camera.faults`).
import { once } from 'node:events'
import type { Server as HttpServer } from 'node:http'
import type { AddressInfo, Server, Socket } from 'node:net'
import { SimCamera, type SimCameraSpec } from './camera.js'
import { createOnvifServer } from './onvif-server.js'
import { createRtspServer } from './rtsp-server.js'
import { Scenes } from './scene.js'

export interface CameraUrls {
  rtspUrl: string
  onvifUrl: string
  snapshotUrl: string
}

export class CameraHost {
  private readonly cameras = new Map<string, SimCamera>()
  private readonly sockets = new Set<Socket>()
  private readonly rtsp: Server
  private readonly http: HttpServer

  private constructor (private readonly host: string) {
    this.rtsp = createRtspServer((id) => this.cameras.get(id))
    this.rtsp.on('connection', (socket) => { this.sockets.add(socket); socket.once('close', () => this.sockets.delete(socket)) })
    this.http = createOnvifServer((id) => this.cameras.get(id), new Scenes())
  }

  /** Listens on free ports of `host` (default 127.0.0.1). */
  static async start (host = '127.0.0.1', ports: { rtsp?: number; http?: number } = {}): Promise<CameraHost> {
    const h = new CameraHost(host)
    h.rtsp.listen(ports.rtsp ?? 0, host)
    h.http.listen(ports.http ?? 0, host)
    await Promise.all([once(h.rtsp, 'listening'), once(h.http, 'listening')])
    return h
  }

  add (spec: SimCameraSpec): SimCamera {
    const camera = new SimCamera(spec)
    this.cameras.set(camera.id, camera)
    return camera
  }

  get (id: string): SimCamera | undefined {
    return this.cameras.get(id)
  }

  urls (id: string): CameraUrls {
    const authority = (server: Server | HttpServer) => {
      const port = (server.address() as AddressInfo).port
      return `${this.host.includes(':') ? `[${this.host}]` : this.host}:${port}`
    }
    return {
      rtspUrl: `rtsp://${authority(this.rtsp)}/${id}`,
      onvifUrl: `http://${authority(this.http)}/onvif/${id}/device_service`,
      snapshotUrl: `http://${authority(this.http)}/snapshot/${id}.jpg`
    }
  }

  async stop (): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    this.http.closeAllConnections()
    await Promise.all([
      new Promise<void>((resolve) => this.rtsp.close(() => resolve())),
      new Promise<void>((resolve) => this.http.close(() => resolve()))
    ])
  }
}
