// Create or edit an alert rule: every field of the contract's rule. The server validates (the
// pattern too, with the linear-time engine the matcher uses); each problem it names is shown
// next to its field.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { post, put } from '../../api/client';
import {
  PRIORITIES,
  SEVERITIES,
  type Client,
  type Group,
  type Rule,
  type RuleActions,
  type RuleConditions,
} from '../../api/types';
import { ActionButton } from '../../components/action-button';
import { Card, ErrorText } from '../../components/card';
import { Checkbox, CheckboxGroup, NumberField, SelectField, TextArea, TextField } from '../../components/fields';
import { useSave } from '../../components/field-errors';
import { ListField } from '../../components/list-field';

export interface RuleFormProps {
  rule: Rule | null;
  clients: Client[];
  groups: Group[];
  onDone: () => Promise<void>;
  onCancel: () => void;
}

interface Draft {
  name: string;
  enabled: boolean;
  conditions: RuleConditions;
  actions: RuleActions;
}

const EMPTY: Draft = {
  name: '',
  enabled: true,
  conditions: {},
  actions: { createTicket: true, autoResolveTicket: false, resolveAlertOnTicketClose: false },
};

export function RuleForm({ rule, clients, groups, onDone, onCancel }: RuleFormProps) {
  const [draft, setDraft] = useState<Draft>(
    rule ? { name: rule.name, enabled: rule.enabled, conditions: rule.conditions, actions: rule.actions } : EMPTY,
  );
  const when = (patch: Partial<RuleConditions>) =>
    setDraft({ ...draft, conditions: { ...draft.conditions, ...patch } });
  const then = (patch: Partial<RuleActions>) => setDraft({ ...draft, actions: { ...draft.actions, ...patch } });
  const c = draft.conditions;
  const a = draft.actions;

  const { errors, save } = useSave(async () => {
    await (rule ? put(`/api/v1/alert-rules/${rule.id}`, draft) : post('/api/v1/alert-rules', draft));
    await onDone();
  });
  const e = (field: string) => errors[field];
  return html`<${Card} title=${rule ? `Edit rule: ${rule.name}` : 'New rule'}>
    <form class="rule-form" onSubmit=${(ev: Event) => (ev.preventDefault(), void save())}>
      <${TextField} label="Name" value=${draft.name} onInput=${(name: string) => setDraft({ ...draft, name })} error=${e('name')} required />
      <${Checkbox} label="Enabled" checked=${draft.enabled} onChange=${(enabled: boolean) => setDraft({ ...draft, enabled })} />
      <fieldset>
        <legend>Conditions (all that are set must match; leave empty to match every alert)</legend>
        <${CheckboxGroup} label="Severities" values=${c.severities ?? []} options=${SEVERITIES.map((s) => ({ value: s, label: s }))} onChange=${(severities: string[]) => when({ severities })} error=${e('conditions.severities')} />
        <${CheckboxGroup} label="Clients" values=${c.clientIds ?? []} options=${clients.map((cl) => ({ value: cl.id, label: cl.name }))} hint="No clients yet." onChange=${(clientIds: string[]) => when({ clientIds })} error=${e('conditions.clientIds')} />
        <${CheckboxGroup} label="Level groups (with their subgroups)" values=${c.levelGroupIds ?? []} options=${groups.map((g) => ({ value: g.levelGroupId, label: g.path }))} hint="No groups discovered yet." onChange=${(levelGroupIds: string[]) => when({ levelGroupIds })} error=${e('conditions.levelGroupIds')} />
        <${ListField} label="Device roles (comma-separated)" values=${c.deviceRoles} onChange=${(deviceRoles: string[]) => when({ deviceRoles })} error=${e('conditions.deviceRoles')} placeholder="server, domain_controller" />
        <${ListField} label="Keywords in the alert name or description (comma-separated)" values=${c.keywords} onChange=${(keywords: string[]) => when({ keywords })} error=${e('conditions.keywords')} />
        <${TextField} label="Pattern (regular expression)" value=${c.pattern ?? ''} onInput=${(pattern: string) => when({ pattern })} error=${e('conditions.pattern')} placeholder="^Disk .* low$" />
        <${Checkbox} label="Only alerts of devices no mapping covers (a triage queue; no other rule sees them)" checked=${c.unmapped === true} onChange=${(unmapped: boolean) => when({ unmapped: unmapped || null })} />
      </fieldset>
      <fieldset>
        <legend>Actions</legend>
        <${Checkbox} label="Create a ticket (otherwise record only)" checked=${a.createTicket} onChange=${(createTicket: boolean) => then({ createTicket })} />
        <${SelectField} label="Priority" value=${a.priority ?? ''} options=${[{ value: '', label: 'From severity' }, ...PRIORITIES.map((p) => ({ value: p, label: p }))]} onChange=${(priority: string) => then({ priority: priority || null })} error=${e('actions.priority')} />
        <${TextField} label="Assignee or queue" value=${a.assignee ?? ''} onInput=${(assignee: string) => then({ assignee })} error=${e('actions.assignee')} />
        <${TextField} label="Title template" value=${a.titleTemplate ?? ''} onInput=${(titleTemplate: string) => then({ titleTemplate })} error=${e('actions.titleTemplate')} hint="Placeholders: {{device}} {{alert}} {{severity}} {{client}} {{description}}" />
        <${TextArea} label="Description template" value=${a.descriptionTemplate ?? ''} onInput=${(descriptionTemplate: string) => then({ descriptionTemplate })} error=${e('actions.descriptionTemplate')} />
        <${Checkbox} label="Close the ticket when the alert resolves (if nobody touched it)" checked=${a.autoResolveTicket} onChange=${(autoResolveTicket: boolean) => then({ autoResolveTicket })} />
        <${Checkbox} label="Resolve the alert in Level when a person closes the ticket" checked=${a.resolveAlertOnTicketClose} onChange=${(resolveAlertOnTicketClose: boolean) => then({ resolveAlertOnTicketClose })} />
      </fieldset>
      <fieldset>
        <legend>Noise control (for rules that create tickets)</legend>
        <${NumberField}
          label="Hold (minutes)"
          value=${a.holdMinutes}
          onChange=${(holdMinutes: number | null) => then({ holdMinutes })}
          error=${e('actions.holdMinutes')}
          placeholder="0"
          hint="Open the ticket only if the alert is still active after this many minutes (0–60; 0: at once). One that resolves sooner ends dampened, with no ticket."
        />
        <${NumberField}
          label="Reopen within (minutes)"
          value=${a.reopenWithinMinutes}
          onChange=${(reopenWithinMinutes: number | null) => then({ reopenWithinMinutes })}
          error=${e('actions.reopenWithinMinutes')}
          placeholder="0"
          hint="A recurrence on the same device within this many minutes after its ticket closed reopens that ticket (0–10080, a week; 0: a new ticket)."
        />
      </fieldset>
      <${ErrorText} error=${errors.form} />
      <div class="buttons">
        <${ActionButton} label="Save rule" busyLabel="Saving…" kind="primary" onClick=${save} />
        <button type="button" class="button secondary" onClick=${onCancel}>Cancel</button>
      </div>
    </form>
  <//>`;
}
