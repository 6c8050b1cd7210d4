// What the run router needs of the engine (packages/engine): starting, cancelling and following
// runs, and the operator's rerun and rollback. The server passes its Engine; tests may pass any
// object with the first three (the operations then answer PRECONDITION_FAILED).
import type { Engine } from '@sluice/engine';

export type RunEngine = Pick<Engine, 'startRun' | 'cancelRun' | 'subscribe'> &
  Partial<Pick<Engine, 'rerunFrom' | 'rollbackPlan' | 'rollbackStep' | 'rollbackRun' | 'subscribeBatches'>>;
