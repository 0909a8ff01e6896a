// The picture rules (issue #20): what a camera's snapshot, measured by the gateway
// (edge/camera-probe/picture.ts), says is wrong with it. Pure, like every rule. They speak only
// when the reading carries a picture's measures (one kept snapshot every few minutes), so
// the probe's readings in between neither raise nor clear them.
//
// One fault at a time, the most basic first: a dark or flat picture has no focus or scene to
// judge, so it is only "covered", or by night "infrared failed" (from a picture alone the two
// look alike by night; the infrared lights dying is the likelier, and both are urgent).
import { withinHours } from '../../alarms/local-hours.js'
import { num as value, type Condition, type Fields } from '../../alarms/rules.js'
import type { Thresholds } from '../../alarms/thresholds.js'

const num = (v: Fields[string] | undefined): number | null => value(v) ?? null

export function pictureRules (fields: Fields, ts: number, th: Thresholds): Condition[] {
  const luma = num(fields.pictureLuma)
  const contrast = num(fields.pictureContrast)
  if (luma === null || contrast === null) return []
  const blur = num(fields.pictureBlur)
  const similarity = num(fields.pictureSimilarity)
  const repeats = num(fields.pictureRepeats) ?? 0
  // Every picture alarm carries the snapshot it was judged on (GET /api/cameras/:id/snapshots/:at).
  const details = { snapshotAt: ts, luma, contrast, blur, similarity }

  const infrared = withinHours(ts, th.infraredFromH, th.infraredToH)
  const dark = luma < th.pictureDarkLuma
  const flat = contrast < th.pictureFlatContrast
  const irFailed = infrared && dark
  const covered = !irFailed && (dark || flat)
  const readable = !dark && !flat
  return [
    { type: 'picture_covered', active: covered, details },
    { type: 'night_ir_failed', active: irFailed, details },
    { type: 'picture_blurred', active: readable && blur !== null && blur > th.pictureBlurMax, details: { ...details, thresholdBlur: th.pictureBlurMax } },
    // Without a reference there is nothing to compare with: cleared, never raised.
    { type: 'scene_changed', active: readable && similarity !== null && similarity < th.sceneSimilarityMin, details: { ...details, thresholdSimilarity: th.sceneSimilarityMin } },
    // Only while the stream says it advances: a frozen stream is already stream_dead.
    { type: 'snapshot_frozen', active: fields.streamAlive === true && repeats >= th.snapshotStillChecks, details: { ...details, repeats } }
  ]
}
