const CHECK_EVERY_MS = 500;

/**
 * Calls `onGone` once `launcher` (the parent pid read at start) is no longer this process's parent,
 * at once if that is already so. Under `npm start`, npm passes SIGINT and SIGTERM on, but a SIGKILLed
 * npm cannot: without this the server would be orphaned, still holding its port. The timer does not
 * keep the process alive.
 */
const watchLauncher = (launcher: number, onGone: () => void): void => {
  if (process.ppid !== launcher) {
    onGone();
    return;
  }
  const timer = setInterval(() => {
    if (process.ppid === launcher) return;
    clearInterval(timer);
    onGone();
  }, CHECK_EVERY_MS);
  timer.unref();
};

export { watchLauncher };
