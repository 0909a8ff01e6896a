import { createServer } from 'node:net'

/** A port the OS just handed out on loopback, for programs that cannot be told "port 0". */
export function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => { resolve(typeof address === 'object' && address ? address.port : 0) })
    })
  })
}
