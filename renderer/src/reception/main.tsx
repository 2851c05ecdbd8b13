// First: zod (reached through common/) must not probe eval() under the page's CSP.
import '../shared/zod-without-eval.js';
import { createRoot } from 'react-dom/client';
import { connectStation } from '../shared/station-client.js';
import { ReceptionApp } from './ReceptionApp.js';
import './reception.css';

const station = connectStation('reception');
createRoot(document.getElementById('root')!).render(<ReceptionApp station={station} />);
