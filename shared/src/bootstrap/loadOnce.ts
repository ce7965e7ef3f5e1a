/**
 * `load` run on the first call, its promise shared by every call after it; a failed load is forgotten, so the
 * next call tries again. For what a start should not pay for until a path needs it (a route's module, the SNS
 * client, the console's page).
 */
const loadOnce = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
};

export { loadOnce };
