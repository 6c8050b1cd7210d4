// zod's jitless switch first, before any module that loads zod: its new-Function probe would trip
// the page's CSP (see editor/zod-jitless.ts).
import './editor/zod-jitless';
// React Flow's own styles before the app's, so the app's theme overrides them; no styles are
// injected at run time.
import '@xyflow/react/dist/style.css';
import './styles/tokens.css';
import './styles/app.css';
import './styles/workflows.css';
import './styles/canvas.css';
import './styles/sign-in.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
