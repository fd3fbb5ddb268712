// Public surface of the Level simulator.
export { startLevelSimulator, DEFAULT_SIMULATOR_FLEET } from './server';
export type { LevelSimulator, LevelSimulatorOptions } from './server';
export { Fleet } from './fleet';
export type {
  AddAlertInput,
  AddDeviceInput,
  AddGroupInput,
  DeleteGroupOptions,
  DevicePatch,
  FleetOptions,
} from './fleet';
export { generateFleet } from './generator';
export type { GenerateFleetOptions } from './generator';
export { FaultInjector } from './faults';
export type { FaultSpec } from './faults';
export { RateLimiter } from './rate-limiter';
export type { RateLimitOptions } from './rate-limiter';
export { SimulatorStats } from './stats';
export type { ApiKeySpec } from './api-keys';
export type { IdStyle } from './ids';
export type * from './documents';
export { renderAutomationTemplate, runAutomation } from './automation';
export type { AutomationAction, AutomationRun } from './automation';
