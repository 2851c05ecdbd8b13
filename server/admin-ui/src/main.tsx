// First: zod (reached through common/) must not probe eval() under the page's CSP.
import '../../../renderer/src/shared/zod-without-eval.js';
import { createRoot } from 'react-dom/client';
import { AdminApp } from './AdminApp.js';
import './admin.css';

createRoot(document.getElementById('root')!).render(<AdminApp />);
