import { defineConfig } from 'vitest/config';

// A fixed zone for the HubSpot user's own (the browser's), so times shown in it are known in tests.
process.env.TZ = 'America/New_York';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**'],
  },
});
