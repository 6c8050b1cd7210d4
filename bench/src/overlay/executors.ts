// The overlay workload's executors: the shipped ones, except that `transform` steps are run by
// workers instead of inline. Inline, a chain10 run commits in one transaction at start and a
// subscriber sees nothing live; run by workers, each step is its own transitions (ready, started,
// succeeded), which is what the overlay has to keep up with.
import {
  builtinExecutors,
  executorRegistry,
  type ExecutorRegistry,
  transformExecutor,
} from '@sluice/nodes/server';

export function overlayExecutors(): ExecutorRegistry {
  return executorRegistry([
    ...builtinExecutors.filter((executor) => executor.kind !== 'transform'),
    { ...transformExecutor, pure: false },
  ]);
}
