// A comma-separated list (keywords, device roles) typed as text: the text stays as typed while
// the parsed list goes to the form, so "a, " can be typed on the way to "a, b".
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { TextField } from './fields';

export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export function ListField(props: {
  label: string;
  values: string[] | undefined;
  onChange: (values: string[]) => void;
  error?: string | undefined;
  placeholder?: string;
}) {
  const [text, setText] = useState((props.values ?? []).join(', '));
  const input = (value: string) => {
    setText(value);
    props.onChange(splitList(value));
  };
  return html`<${TextField} label=${props.label} value=${text} onInput=${input} error=${props.error} placeholder=${props.placeholder} />`;
}
