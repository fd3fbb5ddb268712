// Which run a parsed webhook goes to, as a signalWithStart delivery: an alert event to its alert's
// run, a nudge to the device's alert reconcile run, a device or group change to that object's run.
import { alertEventDelivery, deviceNudgeDelivery, type SignalDelivery } from '../../contracts/alerts';
import { levelChangeDelivery } from '../../contracts/level-objects';
import type { ParsedWebhook } from './parse';

export interface RoutedWebhook {
  delivery: SignalDelivery;
  levelAlertId?: string;
  levelDeviceId?: string;
}

export function signalFor(
  tenantId: string,
  integrationId: string,
  parsed: Exclude<ParsedWebhook, { kind: 'ignored' }>,
  receivedAt: Date,
): RoutedWebhook {
  switch (parsed.kind) {
    case 'event':
      return {
        delivery: alertEventDelivery(tenantId, integrationId, parsed.event),
        levelAlertId: parsed.event.alert.levelAlertId,
        levelDeviceId: parsed.event.alert.levelDeviceId,
      };
    case 'nudge':
      return {
        delivery: deviceNudgeDelivery(tenantId, integrationId, parsed.levelDeviceId, {
          eventId: parsed.eventId,
          receivedAt: receivedAt.toISOString(),
        }),
        levelDeviceId: parsed.levelDeviceId,
      };
    case 'change':
      return {
        delivery: levelChangeDelivery(tenantId, integrationId, parsed.object, parsed.levelId, parsed.change),
        ...(parsed.object === 'device' ? { levelDeviceId: parsed.levelId } : {}),
      };
  }
}
