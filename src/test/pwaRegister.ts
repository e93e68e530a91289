// Stands in for vite-plugin-pwa's virtual module under Vitest (there is no service worker build there).
// Tests that care about updates mock it with vi.mock('virtual:pwa-register/react').
export function useRegisterSW() {
  return {
    needRefresh: [false, () => undefined],
    offlineReady: [false, () => undefined],
    updateServiceWorker: async () => undefined,
  };
}
