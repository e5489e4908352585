import type { AlertSeverity } from './alert.js';

/** How each severity looks in chat and mail: the same marks everywhere, so merchants learn them once. */
export const SEVERITY_STYLE: Record<AlertSeverity, { emoji: string; label: string; color: number }> = {
  info: { emoji: 'ℹ️', label: 'Info', color: 0x3b82f6 },
  warning: { emoji: '⚠️', label: 'Action needed', color: 0xf59e0b },
  urgent: { emoji: '🚨', label: 'Urgent', color: 0xdc2626 },
};
