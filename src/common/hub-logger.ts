import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { currentLogFields } from './log-context';
import { currentRedactor, redact } from './redaction';

const LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;

/**
 * The hub's logger: Nest's ConsoleLogger, in text (its usual lines) or JSON (`json: true`: one
 * object a line, `{level, pid, timestamp, message, context, stack?}`) plus, for JSON, the run and
 * account of the sync the line was written in (log-context.ts). Every message and stack goes through
 * redaction first: a line written inside an account's scope cannot quote its credentials, whichever
 * code wrote it.
 */
export class HubLogger extends ConsoleLogger {
  constructor(format: 'text' | 'json', level: 'error' | 'warn' | 'log' | 'debug' | 'verbose') {
    const logLevels = LEVELS.slice(0, LEVELS.indexOf(level) + 1) as LogLevel[];
    super({ json: format === 'json', logLevels, ...(format === 'json' ? { colors: false } : {}) });
  }

  protected override printMessages(messages: unknown[], context?: string, logLevel?: LogLevel, writeStreamType?: 'stdout' | 'stderr', errorStack?: unknown): void {
    const stack = typeof errorStack === 'string' ? redact(errorStack) : errorStack;
    super.printMessages(messages.map(redactMessage), context, logLevel, writeStreamType, stack);
  }

  protected override getJsonLogObject(message: unknown, options: { context: string; logLevel: LogLevel; writeStreamType?: 'stdout' | 'stderr'; errorStack?: unknown }) {
    return { ...super.getJsonLogObject(message, options), ...currentLogFields() };
  }
}

function redactMessage(message: unknown): unknown {
  if (typeof message === 'string') return redact(message);
  if (message instanceof Error) return redact(message.stack ?? message.message);
  return currentRedactor().redactDeep(message);
}
