// Public surface of the Level integration layer (the simulator has its own: simulator/).
export { createLevelClient } from './client';
export type {
  AlertFilters,
  DeviceFilters,
  DeviceInclude,
  GroupFilters,
  IterateOptions,
  LevelClient,
  LevelClientOptions,
  LevelPage,
  PageParams,
} from './client';
export * from './errors';
export type { RequestBudget } from './request-budget';
export { unlimitedBudget } from './request-budget';
export type { LevelAlert, LevelDevice, LevelGroup, LevelNetworkInterface, LevelOperatingSystem } from './schemas';
export { levelAlertSchema, levelDeviceSchema, levelGroupSchema } from './schemas';
export { DEFAULT_MAX_PAGES } from './pagination';
