/* global process, Buffer, console */
// An example receiver of the gateway's webhook (docs/integration.md), with nothing but Node.
// It checks the signature and the timestamp, drops a delivery it has already seen (a retry
// whose answer was lost), answers at once, and prints each event as one JSON line.
//
//   WEBHOOK_SECRET=... PORT=9000 node docs/examples/webhook-receiver.mjs
//
// Set the gateway's GATEWAY_WEBHOOK_URL=http://this-host:9000/ and GATEWAY_WEBHOOK_SECRET to the
// same secret. test/gateway/webhook-events.test.ts runs this file against a real gateway.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'

const SECRET = process.env.WEBHOOK_SECRET
if (!SECRET) throw new Error('set WEBHOOK_SECRET')
const MAX_AGE_MS = 5 * 60_000
const seen = new Set()

const valid = (timestamp, body, given) => {
  const expected = Buffer.from('sha256=' + createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex'))
  const got = Buffer.from(String(given ?? ''))
  return got.length === expected.length && timingSafeEqual(got, expected)
}

const server = createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8')
    const timestamp = String(req.headers['x-gateway-timestamp'] ?? '')
    // An old timestamp is a replayed request: refuse it, as a wrong signature.
    if (!valid(timestamp, body, req.headers['x-gateway-signature']) || Math.abs(Date.now() - Number(timestamp)) > MAX_AGE_MS) {
      res.writeHead(401).end()
      return
    }
    res.writeHead(204).end() // answer first: the gateway retries what is not answered with 2xx in 10 s
    const delivery = String(req.headers['x-gateway-delivery'])
    if (seen.has(delivery)) return
    seen.add(delivery)
    const event = JSON.parse(body)
    console.log(JSON.stringify({ delivery, event: event.event, body: event }))
  })
})
server.listen(Number(process.env.PORT ?? 9000), process.env.HOST ?? '127.0.0.1', () => {
  console.log(JSON.stringify({ listening: server.address().port }))
})
