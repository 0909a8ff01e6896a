// Run a task over many items with at most `limit` running at once; each result is handed
// over as soon as it is ready (a dead camera holds one slot, never the others' results).
// Fifteen lines do not justify a dependency (p-limit would add a queue we do not need).
export async function forEachPooled<T, R> (items: readonly T[], limit: number, task: (item: T) => Promise<R>, done: (result: R, item: T) => void): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!
      done(await task(item), item)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
}
