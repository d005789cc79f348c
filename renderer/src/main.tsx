import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api';
import { App } from './app/App';
import './styles/app.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={createClient()} />
  </StrictMode>,
);
