// The Alert Webhook card's three pieces as an admin pastes them into a Level automation's HTTP
// request action: the URL (on the test API's address: PUBLIC_URL is not served in tests), the
// secret header and the payload template, verbatim.
import type { AutomationAction } from '../../simulator';

interface CardAnswer {
  url: string;
  header: { name: string; value: string | null };
  payloadTemplate: Record<string, unknown>;
}

export function automationFromCard(apiUrl: string, card: CardAnswer): AutomationAction {
  return {
    url: `${apiUrl}${new URL(card.url).pathname}`,
    headers: { [card.header.name]: card.header.value ?? '' },
    body: card.payloadTemplate,
  };
}
