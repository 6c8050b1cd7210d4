// An AI step's reply as it is generated, from `run.live`, while the step runs. Live-only: after the
// step ends, the inspector shows the committed reply instead.
import { useEffect, useState } from 'react';
import { liveApi } from './client';

/** The text streamed so far for `nodeId` of `runId` (its current attempt), while `active`. */
export function useLiveText(runId: string, nodeId: string, attempt: number, active: boolean): string | null {
  const [text, setText] = useState<{ key: string; value: string } | null>(null);
  const key = `${runId}:${nodeId}:${attempt}`;
  useEffect(() => {
    if (!active) return;
    const subscription = liveApi.run.live.subscribe(
      { runId, nodeId },
      {
        onData: (item) => {
          if (item.kind !== 'text' || item.attempt !== attempt) return;
          setText((current) => ({
            key,
            value: (current?.key === key ? current.value : '') + item.text,
          }));
        },
      },
    );
    return () => subscription.unsubscribe();
  }, [runId, nodeId, attempt, active, key]);
  return active && text?.key === key ? text.value : null;
}
