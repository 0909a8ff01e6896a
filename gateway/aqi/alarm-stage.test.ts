// The air-quality alarm's stages: Xấu major, Rất xấu and Nguy hại critical, left only ten
// points below the band.
import { expect, it } from 'vitest'
import { airStage, stageSeverity } from './alarm-stage.js'

it('raises nothing up to Kém and a major alarm from Xấu (151)', () => {
  expect(airStage(150, 0)).toBe(0)
  expect(airStage(151, 0)).toBe(1)
  expect(stageSeverity(1)).toBe('major')
  expect(stageSeverity(0)).toBeNull()
})

it('makes Rất xấu (201) and Nguy hại (301) critical', () => {
  expect(airStage(201, 0)).toBe(2)
  expect(airStage(301, 0)).toBe(3)
  expect(stageSeverity(2)).toBe('critical')
  expect(stageSeverity(3)).toBe('critical')
})

it('keeps a band until the index is ten points below it, so an index hovering at 150 is one alarm', () => {
  expect(airStage(149, 1)).toBe(1)
  expect(airStage(141.5, 1)).toBe(1)
  expect(airStage(141, 1)).toBe(0)
  expect(airStage(195, 2)).toBe(2)
  expect(airStage(190, 2)).toBe(1)
  // Hysteresis holds a band the station is in, never lifts it into one it was not.
  expect(airStage(195, 1)).toBe(1)
})
