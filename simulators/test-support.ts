// For the simulators' tests: a real aedes broker on a free port that checks each device's
// own credentials, and a watcher client that records everything under the contract root.
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { Aedes } from 'aedes'
import { connectAsync, type MqttClient } from 'mqtt'
import { TOPIC_ROOT } from '../gateway/contract/index.js'

export interface TestBroker {
  broker: Aedes
  url: string
  close(): Promise<void>
}

/** aedes on 127.0.0.1:0; a client is let in only as username = client id, with that id's secret. */
export async function startBroker (secrets: Readonly<Record<string, string>>): Promise<TestBroker> {
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const ok = username === client.id && secrets[username] !== undefined && password?.toString('utf8') === secrets[username]
      if (ok) { done(null, true); return }
      done(Object.assign(new Error('bad credentials'), { returnCode: 4 }), false)
    }
  })
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    broker.handle(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    broker,
    url: `mqtt://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await new Promise<void>((resolve) => broker.close(() => resolve()))
    }
  }
}

export interface Received {
  topic: string
  payload: unknown
  retain: boolean
  at: number
}

/** A client that subscribes to the whole contract tree (without secrets: the test broker lets "watcher" in). */
export class Watcher {
  readonly messages: Received[] = []
  private waiters = new Set<() => void>()

  private constructor (readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      let body: unknown
      try { body = JSON.parse(payload.toString('utf8')) } catch { body = payload.toString('utf8') }
      this.messages.push({ topic, payload: body, retain: packet.retain, at: Date.now() })
      for (const wake of this.waiters) wake()
    })
  }

  static async start (url: string, secret: string, topic = `${TOPIC_ROOT}/#`): Promise<Watcher> {
    const client = await connectAsync(url, { clientId: 'watcher', username: 'watcher', password: secret, reconnectPeriod: 0 })
    const watcher = new Watcher(client)
    await client.subscribeAsync(topic, { qos: 1 })
    return watcher
  }

  /** The first message from index `from` on that matches; rejects after `timeoutMs`. */
  waitFor (match: (m: Received) => boolean, timeoutMs = 10_000, from = 0): Promise<Received> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.messages.slice(from).find(match)
        if (found) { cleanup(); resolve(found) }
        return found !== undefined
      }
      const timer = setTimeout(() => { cleanup(); reject(new Error(`no matching message within ${timeoutMs} ms`)) }, timeoutMs)
      const cleanup = (): void => { clearTimeout(timer); this.waiters.delete(wake) }
      const wake = (): void => { check() }
      this.waiters.add(wake)
      check()
    })
  }

  async stop (): Promise<void> {
    await this.client.endAsync()
  }
}
