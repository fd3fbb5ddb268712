// Form fields: every input has its <label>; a field's error sits right under it and is tied to
// the input with aria-describedby and aria-invalid, so it is read out with the field.
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';

interface BaseField {
  label: string;
  error?: string | undefined;
  hint?: ComponentChildren;
}

function FieldShell({ id, label, error, hint, children }: BaseField & { id: string; children: ComponentChildren }) {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    ${children}
    ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : null}
    ${error ? html`<p class="field-error" id=${`${id}-error`}>${error}</p>` : null}
  </div>`;
}

function describedBy(id: string, field: BaseField): string | undefined {
  const ids = [field.hint ? `${id}-hint` : '', field.error ? `${id}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export interface TextFieldProps extends BaseField {
  value: string;
  onInput: (value: string) => void;
  type?: string;
  placeholder?: string;
  autocomplete?: string;
  readOnly?: boolean;
  required?: boolean;
  spellcheck?: boolean;
  pattern?: string;
}

export function TextField(props: TextFieldProps) {
  const id = useId();
  return html`<${FieldShell} id=${id} ...${props}>
    <input
      id=${id}
      type=${props.type ?? 'text'}
      value=${props.value}
      placeholder=${props.placeholder}
      autocomplete=${props.autocomplete ?? 'off'}
      readOnly=${props.readOnly}
      required=${props.required}
      spellcheck=${props.spellcheck ?? false}
      aria-invalid=${props.error ? 'true' : undefined}
      aria-describedby=${describedBy(id, props)}
      onInput=${(event: Event) => props.onInput((event.currentTarget as HTMLInputElement).value)}
    />
  <//>`;
}

/**
 * A whole number typed as text: the text stays as typed, the form gets the number (null when
 * empty). No min/max here: the server checks the range and its message shows under the field.
 */
export function NumberField(
  props: BaseField & {
    value: number | null | undefined;
    onChange: (value: number | null) => void;
    placeholder?: string;
  },
) {
  const [text, setText] = useState(props.value === null || props.value === undefined ? '' : String(props.value));
  const input = (value: string) => {
    setText(value);
    props.onChange(value.trim() === '' ? null : Number(value));
  };
  return html`<${TextField} label=${props.label} type="number" value=${text} onInput=${input} error=${props.error} hint=${props.hint} placeholder=${props.placeholder} />`;
}

export function TextArea(props: BaseField & { value: string; onInput: (value: string) => void; rows?: number }) {
  const id = useId();
  return html`<${FieldShell} id=${id} ...${props}>
    <textarea
      id=${id}
      rows=${props.rows ?? 3}
      value=${props.value}
      aria-invalid=${props.error ? 'true' : undefined}
      aria-describedby=${describedBy(id, props)}
      onInput=${(event: Event) => props.onInput((event.currentTarget as HTMLTextAreaElement).value)}
    ></textarea>
  <//>`;
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField(
  props: BaseField & { value: string; options: Option[]; onChange: (value: string) => void; multiple?: false },
) {
  const id = useId();
  return html`<${FieldShell} id=${id} ...${props}>
    <select
      id=${id}
      value=${props.value}
      aria-invalid=${props.error ? 'true' : undefined}
      aria-describedby=${describedBy(id, props)}
      onChange=${(event: Event) => props.onChange((event.currentTarget as HTMLSelectElement).value)}
    >
      ${props.options.map((option) => html`<option key=${option.value} value=${option.value}>${option.label}</option>`)}
    </select>
  <//>`;
}

export function Checkbox(props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}) {
  const id = useId();
  return html`<div class="check">
    <input id=${id} type="checkbox" checked=${props.checked} disabled=${props.disabled} onChange=${(event: Event) => props.onChange((event.currentTarget as HTMLInputElement).checked)} />
    <label for=${id}>${props.label}</label>
  </div>`;
}

/** A group of checkboxes (several values of one field), announced as one group with its legend. */
export function CheckboxGroup(
  props: BaseField & { values: string[]; options: Option[]; onChange: (values: string[]) => void },
) {
  const toggle = (value: string, on: boolean) =>
    props.onChange(on ? [...props.values, value] : props.values.filter((v) => v !== value));
  return html`<fieldset class="field checks">
    <legend>${props.label}</legend>
    ${props.options.length === 0 ? html`<p class="hint">${props.hint ?? 'Nothing to choose from yet.'}</p>` : null}
    ${props.options.map(
      (option) =>
        html`<${Checkbox} key=${option.value} label=${option.label} checked=${props.values.includes(option.value)} onChange=${(on: boolean) => toggle(option.value, on)} />`,
    )}
    ${props.error ? html`<p class="field-error">${props.error}</p>` : null}
  </fieldset>`;
}
