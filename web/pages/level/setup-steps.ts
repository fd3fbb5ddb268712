// The setup steps for Level, in the order of Level's screens: a native webhook (recommended: it
// carries the full alert, its resolution, and device and group changes, signed), or an
// automation with an HTTP POST action and the payload template pasted unchanged.
import { html } from 'htm/preact';

export function SetupSteps() {
  return html`<div class="setup">
    <h3>Set up alerts in Level</h3>
    <p><strong>Recommended: native webhook</strong></p>
    <ol>
      <li>In Level, open Settings → Webhooks and click Create webhook.</li>
      <li>Paste the Webhook URL above as the endpoint.</li>
      <li>Select the events <code>alert_active</code>, <code>alert_resolved</code>, <code>device_created</code>, <code>device_updated</code>, <code>device_deleted</code>, <code>group_created</code>, <code>group_updated</code> and <code>group_deleted</code>.</li>
      <li>Save, copy the signing secret Level shows, and save it here under "Signing secret of a native Level webhook".</li>
      <li>Click Send test alert to check that a ticket appears.</li>
    </ol>
    <p><strong>Alternative: automation</strong></p>
    <ol>
      <li>In Level, open Automations and create an automation with an alert trigger (the alerts it should forward).</li>
      <li>Add an HTTP request action: method POST, the Webhook URL as the URL, content type JSON.</li>
      <li>Add the header <code>X-Alga-Webhook-Secret</code> with the header value (reveal or copy it above).</li>
      <li>Paste the payload template as the body, unchanged: Level fills in its variables, and the PSA reads that device's alerts from Level (resolved ones close their tickets).</li>
      <li>Save and enable the automation.</li>
    </ol>
  </div>`;
}
