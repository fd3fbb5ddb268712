// Entry point of the admin console bundle (built by api/console/bundle.ts with esbuild).
import { html, render } from 'htm/preact';
import { App } from './app';
import './styles.css';

render(html`<${App} />`, document.getElementById('app')!);
