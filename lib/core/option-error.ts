/**
 * The TypeError or RangeError an option check throws, saying apart which option failed (`option`:
 * its path, "psk.key", "clients[3]") and what is wrong with it (`detail`). Its message is the two
 * joined, as a library caller has always read it; a command line names the option by its own flag
 * instead (usageErrorOf, cli/main.ts), without reading the message.
 */
export interface OptionFailure {
  /** The option's path as the library's caller wrote it: "psk.key", "clients[3]", "radsec.knownPrefixesFile". */
  readonly option: string;
  /** What is wrong with it, without the path: "is 8 bytes; at most 128", "\"x\" is not an address". */
  readonly detail: string;
}

export type OptionError = (TypeError | RangeError) & OptionFailure;

/** A TypeError (`kind` 'type') or RangeError ('range') whose message is `option`, `joiner`, `detail`. */
export function optionError(kind: 'type' | 'range', option: string, detail: string, joiner = ' '): OptionError {
  const message = `${option}${joiner}${detail}`;
  const error = kind === 'type' ? new TypeError(message) : new RangeError(message);
  Error.captureStackTrace(error, optionError);
  return Object.assign(error, { option, detail });
}

/** Whether `error` is one optionError made (it names its option apart). */
export function isOptionError(error: unknown): error is OptionError {
  return (error instanceof TypeError || error instanceof RangeError) &&
    typeof (error as Partial<OptionFailure>).option === 'string' && typeof (error as Partial<OptionFailure>).detail === 'string';
}
