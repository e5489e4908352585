export type { CaseDueDateFormat, EmitOptions, SimConfig } from './context.js';
export { type DemoScenario, seedDemoScenario } from './demo-seed.js';
export type {
  CreateCompanyInput,
  CreateMemberInput,
  CreateMembershipInput,
  CreatePaymentInput,
  CreatePlanInput,
  CreateProductInput,
  CreateUserInput,
} from './domain/catalog.js';
export type { CreateDisputeAlertInput } from './domain/dispute-alerts.js';
export type { OpenDisputeInput } from './domain/disputes.js';
export {
  EVIDENCE_CONTENT_TYPES,
  EVIDENCE_FIELD_MAX_CHARS,
  EVIDENCE_TOTAL_MAX_CHARS,
} from './domain/disputes.js';
export { FINANCED_PAYMENT_METHODS } from './domain/payment-methods.js';
export type { CreateRefundInput } from './domain/refunds.js';
export { DISPUTED_REFUND_MESSAGE } from './domain/refunds.js';
export {
  type DecideCaseOptions,
  type MoveCaseChanges,
  type OpenCaseInput,
  PLATFORM_REFUND,
} from './domain/resolution-cases.js';
export { ERROR_TYPES, WhopApiError, type WhopErrorBody } from './errors.js';
export { type FailNextOptions, FaultController, type FaultOptions } from './faults.js';
export type { ApiKeyOptions } from './http/api-keys.js';
export {
  permissionsFor,
  ROUTE_PERMISSIONS,
  type RoutePermissions,
  SIMULATED_PERMISSIONS,
} from './http/permissions.js';
export type { RequestLog, RequestLogEntry } from './http/request-log.js';
export { ID_PREFIXES } from './ids.js';
export {
  DEFAULT_WEBHOOK_API_VERSION_DATE,
  type DeliveryAttempt,
  type ReleaseOrder,
  type WebhookEnvelopeStyle,
  type WebhookEventRecord,
  type WebhookFate,
  type WebhookSender,
} from './webhook-sender.js';
export {
  generateWebhookSecret,
  sdkWebhookKeyFor,
  signDelivery,
  standardWebhookFor,
} from './webhook-signing.js';
export {
  createWhopSimulator,
  DEFAULT_API_KEY,
  type SimCompany,
  type SimNotification,
  type SimPlan,
  type SimProduct,
  type SimUser,
  type SimulatorSnapshot,
  startWhopSimulator,
  WhopSimulator,
  type WhopSimulatorOptions,
  type WithUpdatedAt,
} from './whop-simulator.js';
