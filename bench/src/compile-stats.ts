/** One result line on stdout, as bench/WORKLOADS.md specifies. */
export function report(line: { workload: string } & Record<string, number | string>): void {
  const rounded = Object.fromEntries(
    Object.entries(line).map(([key, value]) => [
      key,
      typeof value === 'number' ? Math.round(value * 100) / 100 : value,
    ]),
  );
  process.stdout.write(`${JSON.stringify(rounded)}\n`);
}

/** Progress for people, on stderr. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
