// `npm run dev`: the sync server (API only, restarted on change) and Vite with hot reload, which
// proxies /api to it. Open the URL Vite prints.
import { spawn } from 'node:child_process';

const apiPort = process.env.FIELDNOTES_API_PORT ?? '8080';
const env = { ...process.env, PORT: apiPort, FIELDNOTES_STATIC_DIR: '' };
const children = [
  spawn('npx', ['tsx', 'watch', 'sync-server/main.ts'], { stdio: 'inherit', env }),
  spawn('npx', ['vite'], { stdio: 'inherit', env: { ...process.env, FIELDNOTES_API_PORT: apiPort } }),
];
const stop = () => children.forEach((c) => c.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
children.forEach((c) => c.on('exit', (code) => { stop(); process.exitCode = code ?? 0; }));
