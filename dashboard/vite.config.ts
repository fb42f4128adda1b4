/**
 * The admin dashboard's build (issue 7): `npm run build:dashboard` writes
 * dist/dashboard, which the backend serves at /dashboard/ (server/http/dashboard.ts).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/dashboard/',
  plugins: [react()],
  build: {
    outDir: '../dist/dashboard',
    emptyOutDir: true,
    // Small enough to read in a test failure; the source is in the repository.
    sourcemap: false,
  },
  logLevel: 'warn',
});
