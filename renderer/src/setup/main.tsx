// First: zod (reached through common/) must not probe eval() under the page's CSP.
import '../shared/zod-without-eval.js';
import { createRoot } from 'react-dom/client';
import { SetupApp, type SetupBridge } from './SetupApp.js';
import '../reception/reception.css';

declare global {
  interface Window {
    escaleSetup?: SetupBridge;
  }
}

createRoot(document.getElementById('root')!).render(<SetupApp bridge={window.escaleSetup} />);
