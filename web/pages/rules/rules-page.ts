// Alert rules, in evaluation order (first enabled match wins): move up/down, enable toggle,
// create, edit and delete (with confirmation). Under them, the tenant's storm grouping.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { del, post, put } from '../../api/client';
import { fetchAll } from '../../api/lists';
import type { Client, Group, Rule } from '../../api/types';
import { Card, Empty, ErrorText } from '../../components/card';
import { ConfirmButton } from '../../components/confirm-button';
import { useLoad } from '../../hooks/use-load';
import { RuleForm } from './rule-form';
import { ruleSummary } from './rule-summary';
import { StormSettingsCard } from './storm-settings';

const RULES = '/api/v1/alert-rules';

export function RulesPage() {
  const rules = useLoad(() => fetchAll<Rule>(RULES), []);
  const clients = useLoad(() => fetchAll<Client>('/api/v1/clients'), []);
  const groups = useLoad(() => fetchAll<Group>('/api/v1/integrations/level/groups').catch(() => [] as Group[]), []);
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const act = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      await rules.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const list = rules.data ?? [];
  const move = (index: number, by: number) => {
    const ids = list.map((rule) => rule.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    return act(() => post(`${RULES}/reorder`, { ids }));
  };
  const toggle = (rule: Rule, enabled: boolean) =>
    act(() =>
      put(`${RULES}/${rule.id}`, { name: rule.name, enabled, conditions: rule.conditions, actions: rule.actions }),
    );

  return html`<h1>Alert rules</h1>
    <p class="lead">Evaluated from the top; the first enabled rule that matches an alert decides what happens. A rule without conditions matches every alert.</p>
    ${
      editing
        ? html`<${RuleForm}
          rule=${editing === 'new' ? null : editing}
          clients=${clients.data ?? []}
          groups=${groups.data ?? []}
          onDone=${async () => (setEditing(null), await rules.reload())}
          onCancel=${() => setEditing(null)}
        />`
        : html`<div class="buttons"><button type="button" class="button primary" onClick=${() => setEditing('new')}>New rule</button></div>`
    }
    <${ErrorText} error=${error ?? rules.error} />
    <${Card} title="Rules in order">
      ${rules.data && list.length === 0 ? html`<${Empty}>No rules: alerts are recorded without tickets. Click New rule to create one.<//>` : null}
      <ol class="rules">
        ${list.map(
          (rule, index) => html`<li key=${rule.id} class=${rule.enabled ? '' : 'disabled'}>
            <div class="rule-head">
              <strong>${rule.name}</strong>
              <span class="muted">${ruleSummary(rule, clients.data ?? [])}</span>
            </div>
            <div class="buttons">
              <label class="toggle"><input type="checkbox" aria-label=${`Enabled: ${rule.name}`} checked=${rule.enabled} onChange=${(e: Event) => toggle(rule, (e.currentTarget as HTMLInputElement).checked)} /> Enabled</label>
              <button type="button" class="button secondary small" disabled=${index === 0} aria-label=${`Move ${rule.name} up`} onClick=${() => move(index, -1)}>Move up</button>
              <button type="button" class="button secondary small" disabled=${index === list.length - 1} aria-label=${`Move ${rule.name} down`} onClick=${() => move(index, 1)}>Move down</button>
              <button type="button" class="button secondary small" aria-label=${`Edit ${rule.name}`} onClick=${() => setEditing(rule)}>Edit</button>
              <${ConfirmButton} small label="Delete" ariaLabel=${`Delete ${rule.name}`} question=${`Delete the rule "${rule.name}"?`} confirmLabel="Yes, delete" onConfirm=${() => act(() => del(`${RULES}/${rule.id}`))} />
            </div>
          </li>`,
        )}
      </ol>
    <//>
    <${StormSettingsCard} />`;
}
