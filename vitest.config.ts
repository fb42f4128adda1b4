import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (lib/**/x.test.ts); end-to-end and
// cross-cutting tests live in test/.
export default defineConfig({
  test: {
    include: [
      'lib/**/*.test.ts',
      'server/**/*.test.ts',
      'sandbox/**/*.test.ts',
      'test/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    environment: 'node',
  },
});
