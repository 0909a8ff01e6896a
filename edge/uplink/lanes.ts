// The uplink's lanes, in the order they go up. A higher lane always goes before a lower one;
// only readings pass through the byte-rate limit. Each lane lives in the SQLite file of what
// it carries, so its row is written in the same transaction (journal.db: readings and device
// events, appended in the journal's group commit; state.db: alarms, proof of play, presence
// and the broadcast log, written in the turn of the change).

export const LANES = ['alarms', 'proof', 'status', 'events', 'readings'] as const
export type Lane = (typeof LANES)[number]

export type LaneHome = 'state' | 'journal'

export interface LaneSpec {
  home: LaneHome
  /** Rows per message at most. Alarm changes go one at a time, so none overtakes another. */
  maxRows: number
  /** Bytes of row bodies per message at most (one oversized row still goes alone). */
  maxBytes: number
  /** Oldest rows may be dropped over the outbox budget (and a gap record goes up). */
  droppable: boolean
  rateLimited: boolean
}

export const LANE_SPECS = {
  alarms: { home: 'state', maxRows: 1, maxBytes: 64 * 1024, droppable: false, rateLimited: false },
  proof: { home: 'state', maxRows: 100, maxBytes: 64 * 1024, droppable: false, rateLimited: false },
  status: { home: 'state', maxRows: 100, maxBytes: 64 * 1024, droppable: false, rateLimited: false },
  events: { home: 'journal', maxRows: 100, maxBytes: 64 * 1024, droppable: false, rateLimited: false },
  readings: { home: 'journal', maxRows: 200, maxBytes: 64 * 1024, droppable: true, rateLimited: true }
} as const satisfies Record<Lane, LaneSpec>

/** The subject a commune publishes a lane on; the province's streams and permissions follow it. */
export const upSubject = (commune: string, lane: Lane | 'gap' | 'heartbeat'): string => `up.${commune}.${lane}`

/** A commune code is one NATS subject token: lowercase letters, digits and dashes. */
export const COMMUNE_CODE = /^[a-z0-9][a-z0-9-]{0,62}$/
