import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { getBridge } from './api/bridge.js';
import { makeClient } from './api/client.js';
import './styles.css';

// Browser mode may name the project to open in the URL (?project=/path/to.gpkg) when none is open yet.
const initialProject = new URLSearchParams(window.location.search).get('project');
const client = makeClient(getBridge());
createRoot(document.getElementById('root')!).render(<App client={client} initialProject={initialProject} />);
