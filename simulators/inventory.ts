// Reads the same inventory file the gateway imports, through the gateway's own parser
// and schema, so the fleet simulates exactly the devices the registry knows.
import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { describeIssues } from '../gateway/contract/index.js'
import { DeviceInput } from '../gateway/registry/device.js'
import { formatOf, parseInventory } from '../gateway/registry/inventory.js'

/** An inventory entry as the registry validated it, with the id the simulator needs. */
export type InventoryDevice = z.output<typeof DeviceInput> & { id: string }

/** Parses inventory text (CSV or YAML); every problem is listed, as the registry import does. */
export function inventoryDevices (text: string, fileName: string): InventoryDevice[] {
  const format = formatOf(fileName)
  if (!format) throw new Error(`${fileName}: not an inventory file (.yaml, .yml, .json or .csv)`)
  const problems: string[] = []
  const devices: InventoryDevice[] = []
  parseInventory(text, format).forEach((entry, i) => {
    const result = DeviceInput.safeParse(entry)
    if (!result.success) {
      for (const issue of describeIssues(result.error)) problems.push(`entry ${i + 1}: ${issue}`)
    } else if (result.data.id === undefined) {
      // The registry would invent an id; a simulator cannot guess it, nor its secret.
      problems.push(`entry ${i + 1} (${result.data.name}): a simulated device needs an id`)
    } else {
      devices.push({ ...result.data, id: result.data.id })
    }
  })
  if (problems.length > 0) throw new Error(`${fileName}: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`)
  return devices
}

export async function loadInventory (path: string): Promise<InventoryDevice[]> {
  return inventoryDevices(await readFile(path, 'utf8'), path)
}

/** Credentials file: a JSON object { "<deviceId>": "<secret>" }. */
export async function loadCredentials (path: string): Promise<Record<string, string>> {
  const doc: unknown = JSON.parse(await readFile(path, 'utf8'))
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${path}: expected a JSON object { "<deviceId>": "<secret>" }`)
  const secrets: Record<string, string> = {}
  const bad: string[] = []
  for (const [id, secret] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof secret === 'string') secrets[id] = secret
    else bad.push(id)
  }
  if (bad.length > 0) throw new Error(`${path}: secrets must be strings (${bad.join(', ')})`)
  return secrets
}
