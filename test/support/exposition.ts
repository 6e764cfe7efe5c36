/**
 * A Prometheus text exposition (serve's /metrics) read as the format defines it: each sample line
 * `name{label="value",…} number`; and judged by Prometheus's own promtool (`check metrics`).
 */
import { runWithInput } from './cli-run';
import { findProgram } from './programs';

/** promtool's verdict on `exposition`: exit code 0 when it holds. */
export const promtoolCheck = (exposition: string): ReturnType<typeof runWithInput> =>
  runWithInput(findProgram(['promtool'], 'prometheus'), ['check', 'metrics'], exposition);

/** The samples of `name` whose labels include `labels`, summed; undefined when none has them. */
export function sampleOf(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let sum: number | undefined;
  for (const line of exposition.split('\n')) {
    const found = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (found?.[1] !== name) continue;
    const given = new Map([...(found[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([label, value]) => given.get(label) === value)) sum = (sum ?? 0) + Number(found[3]);
  }
  return sum;
}
