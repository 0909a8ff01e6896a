// `npm run bench:retained-flood`: what one device with valid credentials can do to the
// gateway's memory with retained messages. It publishes 4,500 retained 60 KB messages on
// topics of its own choosing (outside the contract), 4,500 more on its own contract topics,
// and 4,500 more on new topics; the gateway's resident memory is read from /proc before, after, and after a pause.
// Bounded: 13,500 messages to 127.0.0.1, then it stops everything it started.
//
//   npm run bench:retained-flood -- [--messages 4500] [--kb 60]
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { connectAsync } from 'mqtt'
import { topics } from '../gateway/contract/index.js'
import { metric, startGatewayBroker } from './brokers.js'
import { rssKb } from './proc.js'

const { values } = parseArgs({ options: { messages: { type: 'string', default: '4500' }, kb: { type: 'string', default: '60' } } })
const messages = Number(values.messages)
const payload = Buffer.alloc(Number(values.kb) * 1000, 'x')

const { broker, devices } = await startGatewayBroker('sqlite', 1)
/** Resident memory, and what V8 holds (heap in use + Buffers outside it), in MB. */
const mb = async (): Promise<{ rss: number; heapAndBuffers: number }> => {
  const port = broker.http!.port
  const held = await metric(port, 'gateway_process_nodejs_heap_size_used_bytes') + await metric(port, 'gateway_process_nodejs_external_memory_bytes')
  return { rss: Math.round(rssKb(broker.pid) / 1024), heapAndBuffers: Math.round(held / 1024 / 1024) }
}
try {
  const device = devices[0]!
  const client = await connectAsync(broker.url, { clientId: device.id, username: device.id, password: device.secret, reconnectPeriod: 0 })
  await sleep(2000)
  const before = await mb()
  const flood = async (topic: (i: number) => string): Promise<void> => {
    for (let i = 0; i < messages; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, messages - i) }, (_, j) => client.publishAsync(topic(i + j), payload, { qos: 1, retain: true })))
    }
  }
  await flood((i) => `flood/${i}`)
  const afterForeign = await mb()
  await flood((i) => [topics.telemetry, topics.event, topics.reply, topics.command][i % 4]!(device.id))
  const afterOwn = await mb()
  // Once more with new topics: what is kept grows with each round; garbage does not.
  await flood((i) => `flood/again/${i}`)
  const afterAgain = await mb()
  await client.endAsync()
  await sleep(5000)
  const settled = await mb()
  console.log(JSON.stringify({ messages: messages * 3, payloadKb: payload.length / 1000, memoryMb: { before, afterForeign, afterOwn, afterAgain, settled } }))
} finally {
  await broker.stop()
}
