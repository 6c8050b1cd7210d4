// LISTEN on one dedicated connection for the engine's channels. NOTIFY is delivered only after the
// sending transaction commits. A dropped connection is re-opened with backoff, and `reconnected`
// tells the engine that notifications may have been missed in between.
import type { StoreNotifications } from '@sluice/engine';
import pg from 'pg';

export const CHANNELS = [
  'sluice_events',
  'sluice_ready',
  'sluice_cancel',
  'sluice_versions',
  'sluice_live',
] as const;

export async function listen(
  url: string,
  handlers: StoreNotifications,
  onError: (message: string) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const dispatch = (message: pg.Notification) => {
    const payload = message.payload ?? '';
    switch (message.channel) {
      case 'sluice_events': {
        const colon = payload.lastIndexOf(':');
        const seq = Number(payload.slice(colon + 1));
        if (colon > 0 && Number.isInteger(seq)) handlers.events?.(payload.slice(0, colon), seq);
        break;
      }
      case 'sluice_ready':
        handlers.ready?.();
        break;
      case 'sluice_cancel':
        handlers.cancelled?.(payload);
        break;
      case 'sluice_versions':
        handlers.published?.(payload);
        break;
      case 'sluice_live':
        handlers.live?.(payload);
        break;
    }
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, application_name: 'sluice-listen' });
    next.on('notification', dispatch);
    next.on('error', (error) => {
      onError(`notification connection lost: ${error.message}`);
      lost(next);
    });
    next.on('end', () => lost(next));
    try {
      await next.connect();
      for (const channel of CHANNELS) await next.query(`LISTEN ${channel}`);
    } catch (error) {
      next.removeAllListeners('end');
      await next.end().catch(() => undefined);
      throw error;
    }
    client = next;
  };

  const lost = (dead: pg.Client) => {
    if (client !== dead) return;
    client = undefined;
    dead.end().catch(() => undefined);
    reconnectAfter(250);
  };

  const reconnectAfter = (delayMs: number) => {
    if (stopped || retry) return;
    retry = setTimeout(async () => {
      retry = undefined;
      if (stopped) return;
      try {
        await connect();
        handlers.reconnected?.();
      } catch (error) {
        onError(
          `cannot re-open the notification connection: ${error instanceof Error ? error.message : error}`,
        );
        reconnectAfter(Math.min(delayMs * 2, 5_000));
      }
    }, delayMs);
    retry.unref();
  };

  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const current = client;
    client = undefined;
    await current?.end().catch(() => undefined);
  };
}
