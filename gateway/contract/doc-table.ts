// The field tables of docs/contract.md, made from the field declarations, so the document
// a device maker reads is the contract the gateway enforces (contract.test.ts checks that
// the document holds exactly these tables).
import type { FieldSpec } from './catalog.js'
import type { DeviceKind } from './kinds.js'
import { FIELDS } from './catalog.js'

function range (spec: FieldSpec): string {
  switch (spec.type) {
    case 'float':
    case 'int': return `${spec.min} … ${spec.max}`
    case 'bool': return '`true` / `false`'
    case 'enum': return spec.values.map((v) => `\`${v}\``).join(', ')
    case 'text': return `≤ ${spec.maxLength} characters`
  }
}

const TYPE_NAMES: Record<FieldSpec['type'], string> = { float: 'number', int: 'integer', bool: 'boolean', enum: 'string', text: 'string' }

export function fieldTableMarkdown (kind: DeviceKind): string {
  const rows = Object.entries(FIELDS[kind] as Record<string, FieldSpec>).map(([name, spec]) =>
    `| \`${name}\` | ${TYPE_NAMES[spec.type]} | ${spec.unit ?? ''} | ${range(spec)} | ${spec.vi} | ${spec.en} |`)
  return ['| field | type | unit | values | tiếng Việt | English |', '|---|---|---|---|---|---|', ...rows].join('\n')
}
