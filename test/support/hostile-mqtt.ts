// Hand-built MQTT 3.1.1 packets of any size, for what an attacker sends and a client library
// will not: 30 KB client ids, filters and topics far past anything a device needs.
import { connect, type Socket } from 'node:net'

const str = (s: string): Buffer => {
  const body = Buffer.from(s, 'utf8')
  const len = Buffer.alloc(2)
  len.writeUInt16BE(body.length)
  return Buffer.concat([len, body])
}

/** Fixed header with the variable-length "remaining length" of MQTT 3.1.1 §2.2.3. */
function packet (firstByte: number, body: Buffer): Buffer {
  const length: number[] = []
  let n = body.length
  do {
    let byte = n % 128
    n = Math.floor(n / 128)
    if (n > 0) byte |= 0x80
    length.push(byte)
  } while (n > 0)
  return Buffer.concat([Buffer.from([firstByte, ...length]), body])
}

export function connectPacket (o: { clientId: string; username: string; password: string }): Buffer {
  const variable = Buffer.concat([str('MQTT'), Buffer.from([4, 0x80 | 0x40 | 0x02, 0, 30])])
  return packet(0x10, Buffer.concat([variable, str(o.clientId), str(o.username), str(o.password)]))
}

/** Sends one CONNECT and waits until the broker closes the connection or answers. */
export function hostileConnect (port: number, o: { clientId: string; username: string; password: string }): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(connectPacket(o)))
    const done = (): void => { socket.destroy(); resolve() }
    socket.once('data', done)
    socket.once('close', done)
    socket.once('error', done)
  })
}
