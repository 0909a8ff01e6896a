import { createServer } from 'node:net'

// Below Linux's ephemeral range (32768–60999): a port handed out by "port 0" comes from that
// range, and between our check and the program's own bind, any outgoing connection of any
// test may take it as its local port. Here only another pick of this function can collide.
const LOW = 10_000
const HIGH = 32_767

/** A free loopback port picked at random above 10000, for programs that cannot be told "port 0". */
export async function freePort (): Promise<number> {
  for (;;) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW))
    if (await isFree(port)) return port
  }
}

function isFree (port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => { resolve(false) })
    server.listen(port, '127.0.0.1', () => { server.close(() => { resolve(true) }) })
  })
}
