import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// waitFor and findBy* give up after 1 s by default: too short on a loaded 2-core CI machine.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});
