// Every device kind's page and map marker, typed against the kind union (gateway/kinds/): a
// kind added there does not compile until it has a page here. The page's address, title and
// marker shape are the kind's definition's; the view is the dashboard's.
import type { ComponentType } from 'preact'
import { DEVICE_KINDS, KINDS, type DeviceKind, type MarkerShape } from '../../gateway/kinds/index.js'
import { language } from './i18n.js'
import { AirView } from './views/air-quality.js'
import { CamerasView } from './views/cameras.js'
import { SpeakersView } from './views/speakers.js'
import { WaterView } from './views/water.js'

export const KIND_VIEWS = {
  speaker: SpeakersView,
  camera: CamerasView,
  water_sensor: WaterView,
  air_quality: AirView
} as const satisfies Record<DeviceKind, ComponentType>

/** The page of a kind's devices, as an address: #/cameras. */
export const kindHref = (kind: DeviceKind): string => `#/${KINDS[kind].page.path}`
export const kindPageTitle = (kind: DeviceKind): string => KINDS[kind].page.title[language()]
/** The kind whose page this address is, if any. */
export const kindOfPage = (path: string): DeviceKind | undefined => DEVICE_KINDS.find((kind) => KINDS[kind].page.path === path)

/** A kind's outline around (0, 0), about 20 units wide: told apart by shape, not colour. */
const SHAPES: Record<MarkerShape, () => preact.JSX.Element> = {
  circle: () => <circle r='9' />,
  square: () => <rect x='-9' y='-9' width='18' height='18' />,
  triangle: () => <polygon points='0,-11 10,8 -10,8' />,
  diamond: () => <polygon points='0,-11 11,0 0,11 -11,0' />,
  hexagon: () => <polygon points='-5,-9 5,-9 10,0 5,9 -5,9 -10,0' />
}

export function KindShape ({ kind }: { kind: DeviceKind }) {
  return SHAPES[KINDS[kind].page.marker]()
}

/** The shape alone, for the map's legend. */
export function KindLegendShape ({ kind }: { kind: DeviceKind }) {
  return <svg width='18' height='18' viewBox='-12 -12 24 24' aria-hidden='true'><g class='legend-shape'><KindShape kind={kind} /></g></svg>
}
