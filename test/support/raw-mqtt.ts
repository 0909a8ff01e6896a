// A hand-built MQTT 3.1.1 CONNECT, for what a well-behaved client library refuses to send
// (an empty client id with a persistent session). Returns the CONNACK return code.
import { connect } from 'node:net'

const str = (s: string): Buffer => {
  const body = Buffer.from(s, 'utf8')
  const len = Buffer.alloc(2)
  len.writeUInt16BE(body.length)
  return Buffer.concat([len, body])
}

export function rawConnack (port: number, o: { clientId: string; clean: boolean; username: string; password: string }): Promise<number> {
  const flags = 0x80 | 0x40 | (o.clean ? 0x02 : 0)
  const variable = Buffer.concat([str('MQTT'), Buffer.from([4, flags, 0, 30])])
  const payload = Buffer.concat([str(o.clientId), str(o.username), str(o.password)])
  const remaining = variable.length + payload.length // < 128 here: one length byte
  const packet = Buffer.concat([Buffer.from([0x10, remaining]), variable, payload])
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(packet))
    socket.once('data', (data) => {
      socket.destroy()
      if (data[0] !== 0x20) reject(new Error(`expected CONNACK, got packet type ${data[0]}`))
      else resolve(data[3]!)
    })
    socket.once('error', reject)
  })
}
