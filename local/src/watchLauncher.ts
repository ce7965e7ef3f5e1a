const CHECK_EVERY_MS = 500;

/**
 * Calls `onGone` once the process that launched this one has exited. Under `npm start`, npm passes
 * SIGINT and SIGTERM on, but a SIGKILLed npm cannot: without this the server would be orphaned, still
 * holding its port. The timer does not keep the process alive.
 */
const watchLauncher = (onGone: () => void): void => {
  const launcher = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === launcher) return;
    clearInterval(timer);
    onGone();
  }, CHECK_EVERY_MS);
  timer.unref();
};

export { watchLauncher };
