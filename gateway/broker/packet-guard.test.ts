import { expect, test } from 'vitest'
import { PacketScanner } from './packet-guard.js'

/** An MQTT PUBLISH-like packet with a body of `size` bytes. */
function packet (size: number): Buffer {
  const length: number[] = []
  let x = size
  do {
    let byte = x % 128
    x = Math.floor(x / 128)
    if (x > 0) byte |= 0x80
    length.push(byte)
  } while (x > 0)
  return Buffer.concat([Buffer.from([0x32, ...length]), Buffer.alloc(size, 1)])
}

test('packets up to the limit pass, whole or split anywhere, one after another', () => {
  const stream = Buffer.concat([packet(0), packet(100), packet(1024), packet(5)])
  for (const step of [1, 2, 3, 7, 500, stream.length]) {
    const scanner = new PacketScanner(1024)
    for (let i = 0; i < stream.length; i += step) expect(scanner.feed(stream.subarray(i, i + step))).toBe(true)
  }
})

test('a packet announcing more than the limit is caught from its header, before its body', () => {
  const scanner = new PacketScanner(1024)
  expect(scanner.feed(packet(10))).toBe(true)
  expect(scanner.feed(packet(1025).subarray(0, 3))).toBe(false)
  expect(new PacketScanner(1024).feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]))).toBe(false) // 256 MB announced
  expect(new PacketScanner(1e9).feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe(false) // malformed length
})
