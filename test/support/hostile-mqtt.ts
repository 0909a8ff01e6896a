// What an attacker sends and a client library will not: 30 KB client ids, filters and topics
// far past anything a device needs. The packets are raw-mqtt.ts's.
import { connect, type Socket } from 'node:net'
import { connectPacket } from './raw-mqtt.js'

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
