// The programs the gateway runs for its work (ffmpeg, espeak-ng) start in a process group of
// their own. A Ctrl+C in a terminal signals the whole foreground group, the helpers with the
// gateway: killed under it while it was stopping cleanly, they failed its work midway, and the
// log blamed the cameras ("ffmpeg could not read the snapshot (killed by SIGINT)", "not a
// picture"), a snapshot command failed for nothing, a relay lost its source. The gateway ends
// the ones it still needs; the others finish in a moment, and a helper whose gateway died ends
// when its pipes close.
import { spawn, type SpawnOptions } from 'node:child_process'

/** `spawn` with the helper in its own process group; typed as spawn is, so its streams keep their types. */
export const spawnHelper = ((program: string, args: readonly string[], options: SpawnOptions = {}) =>
  spawn(program, args, { ...options, detached: true })) as typeof spawn
