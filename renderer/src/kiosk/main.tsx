import { createRoot } from 'react-dom/client';
import { connectStation } from '../shared/station-client.js';
import { KioskRoot } from './KioskApp.js';
import './kiosk.css';

const station = connectStation('kiosk');
createRoot(document.getElementById('root')!).render(<KioskRoot station={station} />);
