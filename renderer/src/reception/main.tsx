import { createRoot } from 'react-dom/client';
import { connectStation } from '../shared/station-client.js';
import { ReceptionApp } from './ReceptionApp.js';

const station = connectStation();
createRoot(document.getElementById('root')!).render(<ReceptionApp station={station} />);
