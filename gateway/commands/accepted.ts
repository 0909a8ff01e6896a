// Which commands a device can actually receive, so that nobody is offered a button that
// cannot work (issue #15 point 9). The contract says what each kind accepts; a camera the
// gateway probes over RTSP/ONVIF (edge/camera-probe) has no MQTT command channel at all:
// it never subscribes to its cmd topic, so a reboot would wait there until it expired.
// Bulletins (play) are the broadcast service's, never a direct command.
import { COMMANDS, type CommandName, type DeviceKind } from '../contract/index.js'
import { GatewayError } from '../errors.js'

/** The commands of a kind the dashboard may offer, from the contract's own list. */
const offered = (kind: DeviceKind): readonly CommandName[] =>
  COMMANDS[kind].options.map((o: { shape: { name: { value: CommandName } } }) => o.shape.name.value).filter((name) => name !== 'play')

export interface CommandTarget { id: string; kind: DeviceKind; name: string }

/** What this device can receive: nothing when it is reached over RTSP/ONVIF only. */
export function acceptedCommands (device: CommandTarget, probedOnly: boolean): readonly CommandName[] {
  return probedOnly ? [] : offered(device.kind)
}

/** Refuses, in words a person reads, a command the device cannot receive. */
export function requireAccepted (device: CommandTarget, probedOnly: boolean, name: string): void {
  if ((acceptedCommands(device, probedOnly) as readonly string[]).includes(name)) return
  if (probedOnly) {
    throw new GatewayError('CONFLICT', `${device.name} (${device.id}) là camera RTSP/ONVIF do cổng dò trạng thái, không có kênh lệnh MQTT: không gửi được lệnh "${name}". / ` +
      `${device.name} (${device.id}) is an RTSP/ONVIF camera probed by the gateway; it has no MQTT command channel, so "${name}" cannot reach it.`,
    { command: name, accepted: [] })
  }
  throw new GatewayError('VALIDATION', `Thiết bị ${device.name} (${device.id}) không nhận lệnh "${name}". / a ${device.kind} does not take "${name}"; it takes: ${offered(device.kind).join(', ')}`,
    { command: name, accepted: offered(device.kind) })
}
