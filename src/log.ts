// A tiny logger interface shared by the CLI (stderr) and the extension (LogOutputChannel).
// Rule: info and above never carry names, dates of birth, payload contents or secrets; ids and
// counts only. Anything about a child's data goes to debug/trace, which is off by default.
export interface Logger {
  trace(msg: string): void;
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'off';
const order: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'off'];

export function streamLogger(write: (line: string) => void, level: LogLevel = 'info'): Logger {
  const min = order.indexOf(level);
  const at = (l: LogLevel) => (msg: string) => {
    if (order.indexOf(l) >= min) write(`[${l}] ${msg}`);
  };
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = streamLogger(() => undefined, 'off');
