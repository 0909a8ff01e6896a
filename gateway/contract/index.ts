// The device contract: one module shared by the gateway, the simulators, edge probes and
// the dashboard. Documented for device makers in docs/contract.md.
export * from './catalog.js'
export * from './kinds.js'
export * from './fields.js'
export * from './telemetry.js'
export * from './messages.js'
export * from './topics.js'
export * from './time.js'
export * from './describe.js'
