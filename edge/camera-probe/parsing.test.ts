import { describe, expect, test } from 'vitest'
import { FrameWatch, parseRtp } from './frames.js'
import { authorization, checkAuthorization, digestResponse, pickChallenge } from './http-auth.js'
import { isFactoryDefault } from './defaults.js'
import { onHostOf, passwordDigest, xmlText } from './onvif.js'
import { parseSdp } from './sdp.js'

describe('Digest and Basic', () => {
  test('the Digest response of RFC 2617 §3.5 is reproduced', () => {
    expect(digestResponse({
      username: 'Mufasa', password: 'Circle Of Life', realm: 'testrealm@host.com', method: 'GET', uri: '/dir/index.html',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', qop: 'auth', nc: '00000001', cnonce: '0a4f113b'
    })).toBe('6629fae49393a05397450978507c4ef1')
  })

  test('Digest MD5 is preferred to Basic; a SHA-256-only challenge is not answered', () => {
    expect(pickChallenge(['Basic realm="cam"', 'Digest realm="cam", nonce="abc", qop="auth,auth-int"'])).toMatchObject({ scheme: 'digest', nonce: 'abc', qop: 'auth,auth-int' })
    expect(pickChallenge(['Basic realm="cam"'])).toMatchObject({ scheme: 'basic' })
    expect(pickChallenge(['Digest realm="cam", nonce="n", algorithm=SHA-256'])).toBeNull()
  })

  test('an answer made for one request is checked by the server side, and refused for other credentials', () => {
    const challenge = pickChallenge(['Digest realm="IP Camera(x)", nonce="n0", qop="auth"'])!
    const header = authorization(challenge, { username: 'admin', password: 'p, "q"' }, 'DESCRIBE', 'rtsp://h/x')
    const server = { realm: 'IP Camera(x)', nonce: 'n0', allowBasic: false }
    expect(checkAuthorization(header, { username: 'admin', password: 'p, "q"' }, 'DESCRIBE', server)).toBe(true)
    expect(checkAuthorization(header, { username: 'admin', password: 'other' }, 'DESCRIBE', server)).toBe(false)
    expect(checkAuthorization(header, { username: 'admin', password: 'p, "q"' }, 'SETUP', server)).toBe(false)
    const basic = authorization({ scheme: 'basic', realm: 'r' }, { username: 'admin', password: 'x' }, 'GET', '/')
    expect(checkAuthorization(basic, { username: 'admin', password: 'x' }, 'GET', server)).toBe(false)
    expect(checkAuthorization(basic, { username: 'admin', password: 'x' }, 'GET', { ...server, allowBasic: true })).toBe(true)
  })
})

describe('SDP', () => {
  const base = 'rtsp://10.0.0.5:554/Streaming/Channels/101/'
  test('codec, clock rate, resolution and the track control URL of a Hikvision-like answer', () => {
    const sdp = 'v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=Media\r\nt=0 0\r\na=control:*\r\nm=audio 0 RTP/AVP 0\r\na=control:trackID=2\r\n' +
      'm=video 0 RTP/AVP 96\r\na=rtpmap:96 H265/90000\r\na=framesize:96 2560-1440\r\na=control:trackID=1\r\n'
    expect(parseSdp(sdp, base)).toEqual({ codec: 'H265', payloadType: 96, clockRate: 90000, width: 2560, height: 1440, controlUrl: base + 'trackID=1' })
  })

  test('x-dimensions, an absolute control URL, and no size at all', () => {
    expect(parseSdp('m=video 0 RTP/AVP 97\na=rtpmap:97 H264/90000\na=x-dimensions:1280,720\na=control:rtsp://c/track1\n', base))
      .toMatchObject({ codec: 'H264', width: 1280, height: 720, controlUrl: 'rtsp://c/track1' })
    expect(parseSdp('m=video 0 RTP/AVP 26\n', 'rtsp://c/s')).toMatchObject({ codec: 'JPEG', width: null, height: null, controlUrl: 'rtsp://c/s' })
    expect(parseSdp('m=audio 0 RTP/AVP 0\n', base)).toBeNull()
  })
})

describe('RTP frames', () => {
  const packet = (ts: number, marker: boolean, fill: number): Buffer => {
    const b = Buffer.alloc(12 + 100, fill)
    b[0] = 0x80
    b[1] = (marker ? 0x80 : 0) | 96
    b.writeUInt16BE(1, 2)
    b.writeUInt32BE(ts >>> 0, 4)
    b.writeUInt32BE(7, 8)
    return b
  }

  test('advancing timestamps and changing content are alive, across the 32-bit timestamp wrap', () => {
    const watch = new FrameWatch(96)
    for (let i = 0; i < 10; i++) watch.add(parseRtp(packet(0xffff_ff00 + i * 3600, true, i))!, i * 40)
    expect(watch.stats(400)).toMatchObject({ frames: 10, timestampSteps: 9, changedFrames: 9, alive: true, fps: 25 })
  })

  test('the same frame again and again is frozen; new content under one timestamp is frozen too', () => {
    const same = new FrameWatch(96)
    const stuckClock = new FrameWatch(96)
    for (let i = 0; i < 10; i++) {
      same.add(parseRtp(packet(1000 + i * 3600, true, 5))!, i * 40)
      stuckClock.add(parseRtp(packet(1000, true, i))!, i * 40)
    }
    expect(same.stats(400).alive).toBe(false)
    expect(stuckClock.stats(400).alive).toBe(false)
  })

  test('not RTP version 2, or too short, is not a packet', () => {
    expect(parseRtp(Buffer.alloc(8))).toBeNull()
    expect(parseRtp(Buffer.alloc(20))).toBeNull()
  })
})

test('ONVIF: elements are read whatever their prefix; the PasswordDigest of a known token', () => {
  expect(xmlText('<a:Envelope><tds:Model>DS-2CD</tds:Model><Model>x</Model></a:Envelope>', 'Model')).toBe('DS-2CD')
  expect(xmlText('<Mode xmlns="y">Active</Mode>', 'Mode')).toBe('Active')
  // Base64(SHA-1(nonce + created + password)), computed with `openssl sha1 -binary | base64`.
  expect(passwordDigest(Buffer.from('LKqI6G/AikKCQrN0zqZFlg==', 'base64'), '2010-09-16T07:50:45Z', 'userpassword')).toBe('tuOSpGlFlIXsozq4HFNeeGeFLEI=')
})

test('factory default credentials are recognised (QCVN 135:2024)', () => {
  expect(isFactoryDefault({ username: 'admin', password: '12345' })).toBe(true)
  expect(isFactoryDefault({ username: 'Admin', password: '' })).toBe(true)
  expect(isFactoryDefault({ username: 'admin', password: 'Hx9-unique' })).toBe(false)
  expect(isFactoryDefault(null)).toBe(true)
})

test('ONVIF: a snapshot URI on another host (a camera behind NAT, or one pointing the probe elsewhere) is read on the camera\'s own host; no login inside; only http(s)', () => {
  const onvif = 'http://203.0.113.7:8081/onvif/device_service'
  expect(onHostOf(onvif, 'http://203.0.113.7:8081/ISAPI/Streaming/channels/101/picture')).toBe('http://203.0.113.7:8081/ISAPI/Streaming/channels/101/picture')
  expect(onHostOf(onvif, 'http://192.168.1.64/onvif-http/snapshot?Profile_1&x=1')).toBe('http://203.0.113.7:8081/onvif-http/snapshot?Profile_1&x=1')
  expect(onHostOf(onvif, 'http://admin:12345@169.254.169.254/latest')).toBe('http://203.0.113.7:8081/latest')
  expect(() => onHostOf(onvif, 'file:///etc/passwd')).toThrow(/not http/)
})
