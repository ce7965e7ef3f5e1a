import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '../config/runtimeConfig.ts';
import { redactEmailsReplacer } from './personalData.ts';

/**
 * Structured JSON logs (Powertools), one logger per function, level from config. Every string written
 * has its email addresses replaced by a hash, whatever a caller passed (an error message, a cause).
 */
const createLogger = (serviceName: string, logLevel: LogLevel): Logger =>
  new Logger({ serviceName, logLevel, jsonReplacerFn: redactEmailsReplacer });

export { createLogger };
