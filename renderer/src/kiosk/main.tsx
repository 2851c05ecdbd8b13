import { createRoot } from 'react-dom/client';
import { connectStation } from '../shared/station-client.js';
import { KioskApp } from './KioskApp.js';

const station = connectStation();
createRoot(document.getElementById('root')!).render(<KioskApp station={station} />);
