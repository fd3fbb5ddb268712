// The short setup steps for Level: a native webhook (recommended: it carries the full alert and
// its resolution, signed), or an automation with an HTTP POST action as the alternative.
import { html } from 'htm/preact';

export function SetupSteps() {
  return html`<div class="setup">
    <h3>Set up alerts in Level</h3>
    <p><strong>Recommended: native webhook</strong></p>
    <ol>
      <li>In Level, open Settings → Webhooks and create a webhook with the Webhook URL above.</li>
      <li>Select the events <code>alert_active</code> and <code>alert_resolved</code>.</li>
      <li>Copy the webhook's signing secret and save it here under "Signing secret of a native Level webhook".</li>
      <li>Click Send test alert to check that a ticket appears.</li>
    </ol>
    <p><strong>Alternative: automation</strong></p>
    <ol>
      <li>In Level, create an automation triggered by alerts with an HTTP POST action to the Webhook URL.</li>
      <li>Add the header <code>X-Alga-Webhook-Secret</code> with the header value (reveal or copy it above).</li>
      <li>Paste the payload template as the JSON body, unchanged: Level fills in its variables.</li>
    </ol>
  </div>`;
}
