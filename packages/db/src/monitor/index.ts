// Operations monitoring (issue 10): stall conditions, deviation from each node's own history and
// security signals, raised as alerts once per condition and resolved when it clears, each change in
// the workspace's audit chain and handed to a notifier (the notification webhook).
//
//   monitor.ts          the loop and its settings (zod)
//   event-feed.ts       the cursor over new events, with their steps' measurements
//   stall.ts            stalled steps, leases, waits and silent runs (SQL, judged in code)
//   baselines.ts        rolling per-node history; robust-stats.ts: the rules it is judged by
//   deviation.ts        duration, tokens, output size, error and validator block rates
//   security.ts         new token addresses, fast approvals, sign-in failures, blocked-handoff surges
//   alert-lifecycle.ts  raise once / resolve / audit
export {
  type AlertChange,
  type AlertNotifier,
  type MonitorAlert,
  openMonitorAlerts,
  type OpenMonitorAlert,
  raiseMonitorAlert,
  reconcileAlerts,
  resolveMonitorAlert,
} from './alert-lifecycle';
export {
  type Monitor,
  type MonitorOptions,
  MonitorSettings,
  type MonitorSettingsInput,
  startMonitor,
} from './monitor';
export { EventFeed, type FeedEvent } from './event-feed';
export { countWords, minimumReadingMs, wordsShown } from './reading-time';
export {
  defaultDeviationRule,
  defaultRateRule,
  type DeviationRule,
  judgeRate,
  judgeValue,
  median,
  medianAbsoluteDeviation,
  percentile,
  type RateRule,
} from './robust-stats';
