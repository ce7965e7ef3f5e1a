import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '../config/runtimeConfig.ts';

/** Structured JSON logs (Powertools), one logger per function, level from config. */
const createLogger = (serviceName: string, logLevel: LogLevel): Logger =>
  new Logger({ serviceName, logLevel });

export { createLogger };
