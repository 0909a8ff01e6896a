// The vocabulary of the contract as plain data, read off the kinds' definitions
// (gateway/kinds/): device kinds, their names and every telemetry field with its type, range,
// unit and Vietnamese and English label. No runtime schema library here, so the dashboard
// bundles this file without pulling zod in; fields.ts and telemetry.ts build the zod schemas.
import { KINDS, fieldsOf, isNumeric, perKind, type DeviceKind, type FieldTable, type Words } from '../kinds/index.js'

export {
  DEVICE_KINDS, fieldsOf, isNumeric, storedType, PRIORITIES,
  type BoolField, type EnumField, type FieldSpec, type FieldTable, type FieldValue, type FloatField, type IntField, type Priority, type StoredType, type TextField
} from '../kinds/index.js'

/** Ids of each kind begin with its prefix and a dash (cam-001, spk-cho, wl-ho-khe-ngang); made ids too. */
export const ID_PREFIX: Record<DeviceKind, string> = perKind((kind) => KINDS[kind].idPrefix)

export const KIND_NAMES: Record<DeviceKind, Words> = perKind((kind) => KINDS[kind].names)

export const FIELDS = perKind((kind): FieldTable => KINDS[kind].fields) as { [K in DeviceKind]: (typeof KINDS)[K]['fields'] } & Record<DeviceKind, FieldTable>

/** Numeric fields of a kind: the ones with a min/mean/max history. */
export function numericFields (kind: DeviceKind): string[] {
  return Object.entries(fieldsOf(kind)).filter(([, spec]) => isNumeric(spec)).map(([name]) => name)
}
