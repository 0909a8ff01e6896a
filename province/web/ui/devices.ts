// One commune's devices of one kind, as the province last heard of them (presence), for the
// forms that pick one: a camera whose picture to ask for, a station to put on the basin map.
import { useEffect, useState } from 'preact/hooks'
import { get } from '../../../dashboard/src/api.js'

export interface CommuneDevice { id: string; kind: string; name: string | null; village: string | null }

export function useCommuneDevices (commune: string, kind: string): CommuneDevice[] {
  const [devices, setDevices] = useState<CommuneDevice[]>([])
  useEffect(() => {
    if (!commune) { setDevices([]); return }
    get<CommuneDevice[]>(`/api/communes/${commune}/devices`).then((d) => setDevices(d.filter((x) => x.kind === kind)), () => setDevices([]))
  }, [commune, kind])
  return devices
}
