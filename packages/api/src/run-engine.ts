// What the run router needs of the engine (packages/engine): starting, cancelling and following
// runs. The server passes its Engine; tests may pass any object with these methods.
import type { Engine } from '@sluice/engine';

export type RunEngine = Pick<Engine, 'startRun' | 'cancelRun' | 'subscribe'>;
