// Fetching a file from the province over the uplink itself (a provincial bulletin's audio):
// no second channel, no other credentials. The box asks on `up.<commune>.audio` (a subject
// its permissions already allow, in no stream: a plain request), the answer comes to its own
// inbox. Chunks stay far below the cluster's 1 MB message limit; the whole is checked against
// the SHA-256 the bulletin named, so a corrupted or substituted file never plays.
import { createHash } from 'node:crypto'
import type { UplinkTransport } from './transport.js'

export const AUDIO_CHUNK_BYTES = 256 * 1024
export const audioSubject = (commune: string): string => `up.${commune}.audio`

/** What a box asks for: a piece of the file with this hash, from this offset. */
export interface ChunkRequest { sha256: string; offset: number }

export class FetchError extends Error {
  constructor (message: string, readonly retryable: boolean) {
    super(message)
    this.name = 'FetchError'
  }
}

export interface Requester extends Pick<UplinkTransport, 'request'> { commune: string }

export async function fetchFromProvince (req: Requester, sha256: string, maxBytes: number, timeoutMs = 10_000): Promise<{ data: Buffer; contentType: string }> {
  const parts: Buffer[] = []
  let offset = 0
  let size = Infinity
  let contentType = 'application/octet-stream'
  while (offset < size) {
    const body: ChunkRequest = { sha256, offset }
    let reply
    try {
      reply = await req.request(audioSubject(req.commune), new TextEncoder().encode(JSON.stringify(body)), timeoutMs)
    } catch (err) {
      throw new FetchError(`the province did not answer: ${(err as Error).message}`, true)
    }
    // A refusal (not ours, unknown) will not change by asking again.
    if (reply.headers.Error) throw new FetchError(`the province refused: ${reply.headers.Error}`, false)
    size = Number(reply.headers.Size)
    if (!Number.isInteger(size) || size <= 0 || size > maxBytes) throw new FetchError(`the province announced ${reply.headers.Size ?? 'no'} bytes (at most ${maxBytes})`, false)
    contentType = reply.headers['Content-Type'] ?? contentType
    if (reply.data.length === 0) throw new FetchError('the province sent an empty piece', true)
    parts.push(Buffer.from(reply.data))
    offset += reply.data.length
  }
  const data = Buffer.concat(parts)
  const got = createHash('sha256').update(data).digest('hex')
  if (data.length !== size || got !== sha256) throw new FetchError(`the audio does not match its hash (got ${got.slice(0, 12)}…, ${data.length} bytes)`, false)
  return { data, contentType }
}
