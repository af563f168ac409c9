export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export async function timeEach<T>(items: readonly T[], run: (item: T) => Promise<unknown>): Promise<{ totalMs: number; sorted: number[] }> {
  const durations: number[] = [];
  const started = performance.now();
  for (const item of items) {
    const begin = performance.now();
    await run(item);
    durations.push(performance.now() - begin);
  }
  return { totalMs: performance.now() - started, sorted: durations.sort((a, b) => a - b) };
}
